import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import type { Job } from 'bullmq';
import { AuditTrail } from '@wangge/audit';
import { CurrentUser, Roles, type AuthUser } from '@wangge/auth';
import { ALL_QUEUES, JobQueue, type QueueName } from '@wangge/jobs';
import { ApiError } from '@wangge/operations';
import { DistrictStaffGuard } from './district-admin.guard';

const STATES = ['failed', 'delayed', 'waiting', 'active', 'completed'] as const;
type JobState = (typeof STATES)[number];

export class JobListQueryDto {
  @ApiPropertyOptional({ enum: STATES, default: 'failed' })
  @IsOptional()
  @IsIn(STATES)
  state?: JobState;

  @ApiPropertyOptional({ enum: ALL_QUEUES })
  @IsOptional()
  @IsIn(ALL_QUEUES)
  queue?: QueueName;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

function view(queue: QueueName, job: Job) {
  return {
    queue,
    id: job.id,
    name: job.name,
    data: job.data as unknown,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ?? null,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    runAt: job.delay ? new Date(job.timestamp + job.delay).toISOString() : null,
  };
}

/** The dispatcher's queues for the command center: what failed after its retries, and a retry (district-level operators and admins). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('operator', 'admin')
@UseGuards(DistrictStaffGuard)
@Controller('api/v1/admin/jobs')
export class JobsController {
  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(AuditTrail) private readonly audit: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Jobs of the routing and clocks queues by state (default: failed) / 任务队列' })
  async list(@Query() q: JobListQueryDto) {
    const state = q.state ?? 'failed';
    const queues = q.queue ? [q.queue] : ALL_QUEUES;
    const limit = q.limit ?? 100;
    const counts: Record<string, Record<string, number>> = {};
    const items = [];
    for (const name of queues) {
      const queue = this.jobs.queue(name);
      counts[name] = await queue.getJobCounts(...STATES);
      items.push(...(await queue.getJobs([state], 0, limit - 1)).filter((j): j is Job => Boolean(j)).map((j) => view(name, j)));
    }
    return { state, counts, items };
  }

  @Post(':queue/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a failed job again / 重试失败任务' })
  async retry(@Param('queue') queueName: string, @Param('id') id: string, @CurrentUser() user: AuthUser) {
    if (!(ALL_QUEUES as readonly string[]).includes(queueName)) {
      throw ApiError.badInput([{ field: 'queue', problem: `queue must be one of ${ALL_QUEUES.join(', ')}` }]);
    }
    const queue = this.jobs.queue(queueName as QueueName);
    const job = await queue.getJob(id);
    if (!job) throw ApiError.notFound(`job ${id}`);
    if (!(await job.isFailed())) throw ApiError.conflict('job_not_failed', `job ${id} has not failed / 该任务未失败`);
    const before = view(queueName as QueueName, job);
    await job.retry('failed');
    await this.audit.record({
      actor: { id: user.id, username: user.username },
      action: 'job.retry',
      entity: 'job',
      entityId: `${queueName}/${id}`,
      before: { state: 'failed', attemptsMade: before.attemptsMade, failedReason: before.failedReason },
      after: { state: 'waiting' },
    });
    return view(queueName as QueueName, job);
  }
}
