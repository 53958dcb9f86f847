import { describe, expect, it } from 'vitest';
import { toBody } from '@wangge/operations';
import { BboxError, MAX_BBOX_TEXT, parseBbox } from './bbox';

/** The problems of a refused bbox, as `field: problem`. */
function refusal(value: string, field?: string): string[] {
  try {
    parseBbox(value, field);
  } catch (e) {
    expect(e).toBeInstanceOf(BboxError);
    expect(toBody(e).statusCode).toBe(400);
    return (e as BboxError).details!.map((d) => `${d.field}: ${d.problem}`);
  }
  throw new Error(`${value} was accepted`);
}

describe('parseBbox', () => {
  it('reads minLng,minLat,maxLng,maxLat in that order', () => {
    expect(parseBbox('113.67,34.73,113.69,34.75')).toEqual({ minLng: 113.67, minLat: 34.73, maxLng: 113.69, maxLat: 34.75 });
    expect(parseBbox('-180,-90,180,90')).toEqual({ minLng: -180, minLat: -90, maxLng: 180, maxLat: 90 });
  });

  it('refuses coordinates off the globe', () => {
    expect(refusal('-181,0,1,1')).toEqual(['bbox: coordinates out of range (lng -180..180, lat -90..90)']);
    expect(refusal('0,0,181,1')).toEqual(['bbox: coordinates out of range (lng -180..180, lat -90..90)']);
    expect(refusal('0,-91,1,1')).toEqual(['bbox: coordinates out of range (lng -180..180, lat -90..90)']);
    expect(refusal('0,0,1,91')).toEqual(['bbox: coordinates out of range (lng -180..180, lat -90..90)']);
  });

  it('refuses a min that is not below its max (swapped corners, a line, a point)', () => {
    const problem = 'bbox: min must be less than max (minLng,minLat,maxLng,maxLat)';
    expect(refusal('114,35,113,34')).toEqual([problem]);
    expect(refusal('113.7,34.7,113.6,34.8')).toEqual([problem]);
    expect(refusal('113,34,113,35')).toEqual([problem]);
    expect(refusal('113,34,114,34')).toEqual([problem]);
    expect(refusal('200,0,190,1')).toEqual(['bbox: coordinates out of range (lng -180..180, lat -90..90)', problem]);
  });

  it('refuses what is not four numbers (NaN, Infinity, missing or extra parts)', () => {
    for (const value of ['1,2,3', '1,2,3,4,5', 'a,b,c,d', '1,2,NaN,4', '1,2,Infinity,4', '1,2,,4', '', '1e2,0,1e3,1', ' 1,2,3,4']) {
      expect(refusal(value), value).toEqual(['bbox: bbox must be minLng,minLat,maxLng,maxLat (four numbers)']);
    }
  });

  it('refuses a text longer than the limit before reading it', () => {
    const long = `0.${'1'.repeat(MAX_BBOX_TEXT)},0,1,1`;
    expect(refusal(long)).toEqual([`bbox: longer than ${MAX_BBOX_TEXT} characters`]);
    expect(parseBbox(`0.${'1'.repeat(50)},0,1,1`).minLng).toBeCloseTo(0.111111, 5);
  });

  it('names the field it was given, in the details and the message', () => {
    expect(refusal('1,1,0,0', 'area')).toEqual(['area: min must be less than max (minLng,minLat,maxLng,maxLat)']);
    try {
      parseBbox('1,1,0,0', 'area');
    } catch (e) {
      expect((e as BboxError).message).toBe('bad area: min must be less than max (minLng,minLat,maxLng,maxLat)');
    }
  });
});
