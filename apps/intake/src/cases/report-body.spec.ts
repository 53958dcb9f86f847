import 'reflect-metadata';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { acceptIfValid, createValidationPipe } from '@wangge/operations';
import { CaseActionDto, LngLatDto, ReportCaseDto } from './case.dto';

/** The ValidationPipe's usual path (plainToInstance, then class-validator), as createValidationPipe configures it. */
const usual = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false });
const body = (metatype: unknown): ArgumentMetadata => ({ type: 'body', metatype: metatype as ArgumentMetadata['metatype'], data: '' });

async function usualAnswer(metatype: unknown, value: unknown): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await usual.transform(structuredClone(value), body(metatype)) };
  } catch {
    return { ok: false };
  }
}

const VALID = {
  categoryCode: 'E0102',
  description: '路边有暴露垃圾 / garbage on the kerb',
  location: { lng: 113.6795, lat: 34.7485 },
  source: 'app',
};

/** Valid reports, and each of them spoiled in one way, the ways the e2e specs and clients spoil them. */
function bodies(): unknown[] {
  const full = {
    ...VALID,
    coordSystem: 'gcj02',
    address: '金水路 1 号',
    mediaIds: ['5f0c0000-0000-4000-8000-000000000001'],
    reporter: { name: '张三', phone: '+86 138-0000-0000', email: 'zhang@example.cn' },
    conditionNo: 2,
  };
  const spoiled: Record<string, unknown>[] = [
    { categoryCode: 'X0102' }, { categoryCode: 102 }, { categoryCode: undefined }, { description: '' }, { description: 'x'.repeat(2001) },
    { description: '<script>alert(1)</script>' }, { description: null }, { location: null }, { location: 'here' }, { location: [113, 34] },
    { location: { lng: 200, lat: 34 } }, { location: { lng: '113', lat: 34 } }, { location: { lng: Number.NaN, lat: 34 } },
    { location: { lng: 113 } }, { location: { lng: 113, lat: 34, alt: 1 } }, { coordSystem: 'wgs' }, { address: '' }, { address: 'a<b>c</b>' },
    { source: 'App!' }, { mediaIds: ['nope'] }, { mediaIds: 'x' }, { mediaIds: Array.from({ length: 10 }, () => '5f0c0000-0000-4000-8000-000000000001') },
    { reporter: { email: 'not-mail' } }, { reporter: { phone: 'call me' } }, { reporter: { nickname: 'z' } }, { reporter: 'z' },
    { conditionNo: 0 }, { conditionNo: 1.5 }, { conditionNo: '2' }, { extra: true }, { constructor: {} },
  ];
  return [VALID, full, { ...VALID, source: undefined }, ...spoiled.flatMap((s) => [{ ...VALID, ...s }, { ...full, ...s }]), null, 'text', [VALID], {}];
}

describe('the compiled check of a report body (acceptIfValid)', () => {
  it('accepts a valid report as the usual path builds it, and nothing the usual path refuses', async () => {
    let accepted = 0;
    for (const value of bodies()) {
      const fast = acceptIfValid(ReportCaseDto, structuredClone(value));
      const slow = await usualAnswer(ReportCaseDto, value);
      if (fast === undefined) continue;
      accepted++;
      expect(slow, JSON.stringify(value)).toMatchObject({ ok: true });
      expect(fast).toBeInstanceOf(ReportCaseDto);
      expect((fast as ReportCaseDto).location).toBeInstanceOf(LngLatDto);
      expect(fast).toStrictEqual((slow as { value: unknown }).value);
    }
    // The valid reports above (the least and the fullest) take the compiled path.
    expect(accepted).toBeGreaterThanOrEqual(2);
    expect(acceptIfValid(ReportCaseDto, VALID)).toBeDefined();
  });

  it('accepts an action body the same way, and refuses it in the pipe with the usual errors', async () => {
    expect(acceptIfValid(CaseActionDto, { reason: '已处理 / done' })).toStrictEqual((await usualAnswer(CaseActionDto, { reason: '已处理 / done' }) as { value: unknown }).value);
    for (const bad of [{ reason: '' }, { reason: '<b>x</b>' }, { unknown: 1 }]) expect(acceptIfValid(CaseActionDto, bad)).toBeUndefined();
    const pipe = createValidationPipe();
    const refusal = await pipe.transform({ ...VALID, location: { lng: 200, lat: 34 }, extra: 1 }, body(ReportCaseDto)).catch((e: unknown) => e);
    expect((refusal as { details?: unknown }).details).toEqual([
      { field: 'extra', problem: 'property extra should not exist' },
      { field: 'location.lng', problem: 'lng must not be greater than 180' },
    ]);
  });
});
