import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { JobName, QueueName } from '@wangge/jobs';
import { CaseError } from '@wangge/workflow';
import { JobHandlerRegistry, type JobHandler } from './job-handler';

const handler = (name: JobName, result = name): JobHandler => ({ name, handle: async () => result });

describe('JobHandlerRegistry', () => {
  it('fails at boot when a job name has no handler', () => {
    expect(() => new JobHandlerRegistry([handler(JobName.RouteCase)])).toThrow(/check-deadline has no handler/);
  });
  it('fails at boot when a job name has two handlers', () => {
    expect(() => new JobHandlerRegistry([...Object.values(JobName).map((name) => handler(name)), handler(JobName.RouteCase)])).toThrow(
      /route-case has two handlers/,
    );
  });
  it('runs a job on its own queue and refuses it on another', async () => {
    const registry = new JobHandlerRegistry(Object.values(JobName).map((name) => handler(name)));
    const job = { name: JobName.RouteCase, data: { caseId: 'x' } } as never;
    await expect(registry.run(QueueName.Routing, job)).resolves.toBe(JobName.RouteCase);
    await expect(registry.run(QueueName.Clocks, job)).rejects.toThrow(/no job route-case/);
  });
  it('gives up at once, and counts, a job whose case does not exist; other errors are retried', async () => {
    const failing = (err: Error): JobHandler => ({ name: JobName.RouteCase, handle: async () => Promise.reject(err) });
    const others = Object.values(JobName).filter((n) => n !== JobName.RouteCase).map((name) => handler(name));
    const job = { name: JobName.RouteCase, data: { caseId: 'x' } } as never;
    const missing = new JobHandlerRegistry([failing(new CaseError('not_found', 'case x not found')), ...others]);
    await expect(missing.run(QueueName.Routing, job)).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(missing.run(QueueName.Routing, job)).rejects.toThrow(/case x not found/);
    expect(missing.counters.caseMissing).toBe(2);
    const flaky = new JobHandlerRegistry([failing(new Error('connection lost')), ...others]);
    const error = await flaky.run(QueueName.Routing, job).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect(flaky.counters.caseMissing).toBe(0);
  });
});
