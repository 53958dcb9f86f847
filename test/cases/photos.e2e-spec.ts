import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, uploadPng, type World } from './helpers/workflow';

describe('a photo belongs to one case', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('photos');
  });
  afterAll(async () => w?.close());

  it('six reports sent at once with the same photo: one takes it, five are refused naming mediaIds[0]', async () => {
    const photo = await uploadPng(w, 7);
    const points = [];
    for (let i = 0; i < 6; i++) points.push(await w.point('warden3'));
    const answers = await Promise.all(
      points.map((p) =>
        w.http.post('/api/v1/cases', { categoryCode: 'E0102', description: 'garbage', location: { lng: p.lng, lat: p.lat }, mediaIds: [photo] }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    for (const a of answers.filter((x) => x.status === 422)) {
      expect(a.body.error).toBe('bad_media');
      expect(a.body.details?.[0].field).toBe('mediaIds[0]');
    }
    const { rows } = await w.db.query(`SELECT count(*)::int AS n FROM case_media WHERE media_id = $1`, [photo]);
    expect(rows[0].n).toBe(1);
  });

  it('the report answer lists its photos with their content type', async () => {
    const photo = await uploadPng(w, 8);
    const p = await w.point('warden3');
    const answer = await w.http.post<{ media: { id: string; contentType: string; url: string }[] }>('/api/v1/cases', {
      categoryCode: 'E0102',
      description: 'garbage',
      location: { lng: p.lng, lat: p.lat },
      mediaIds: [photo],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.media).toEqual([{ id: photo, url: `/api/v1/media/${photo}`, contentType: 'image/png' }]);
  });
});
