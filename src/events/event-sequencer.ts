import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type Logger } from "../platform/logger.js";
import { RepeatingTask } from "../platform/repeating-task.js";
import { SEQUENCER_LOCK, sequenceStatement } from "./sql/sequence.js";

/** Outbox rows numbered per statement: short transactions, and one round of a busy on-sale in one or two. */
const SEQUENCE_BATCH = 1000;

export interface SequencedRound {
  readonly sequenced: number;
  readonly deliveries: number;
}

/**
 * The relay's first step, run in every API process: every `intervalMs` (and at once again while there is more),
 * moves committed outbox rows into the sequenced log (see sequenceStatement) under a transaction-level advisory lock,
 * so one process numbers at a time and the others skip the round. Then it tells this process's deliverers
 * (webhooks, broker) that there is work, so they need not wait for their own interval.
 */
export class EventSequencer {
  private readonly task: RepeatingTask;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    intervalMs: number,
    logger: Logger,
  ) {
    this.task = new RepeatingTask({
      what: "sequencing booking events",
      intervalMs,
      logger,
      pass: async () => {
        await this.runOnce();
      },
    });
  }

  /** Called after every round that sequenced events. */
  onSequenced(listener: () => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.task.start(0);
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /**
   * One round: sequences batches until none is full. Returns how many events were sequenced (0 also when another
   * process holds the lock).
   */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const round = await this.sequenceBatch();
      total += round.sequenced;
      if (round.sequenced > 0) for (const listener of this.listeners) listener();
      if (round.sequenced < SEQUENCE_BATCH || this.task.stopping) return total;
    }
  }

  private async sequenceBatch(): Promise<SequencedRound> {
    return this.prisma.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>(
        Prisma.sql`/* sequencer_lock */ SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}::bigint) AS locked`,
      );
      if (!lock?.locked) return { sequenced: 0, deliveries: 0 };
      const [round] = await tx.$queryRaw<SequencedRound[]>(sequenceStatement(SEQUENCE_BATCH));
      return round ?? { sequenced: 0, deliveries: 0 };
    });
  }
}
