// better-sqlite3 gives Prisma one connection. Prisma's adapter locks transactions against each
// other but not against ordinary queries, so while one request's interactive transaction is open
// (between its awaits), another request's plain query runs on the same connection *inside* that
// transaction — and is silently rolled back with it. This wrapper makes every query outside a
// transaction wait until no transaction is open. See docs/decisions/006-sqlite-transactions.md.
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** How long a query may wait for the open transaction; past it, something is stuck (a bug). */
const LOCK_TIMEOUT_MS = 15_000;

/** A FIFO lock: one holder at a time, in the order they asked. */
export class Lock {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly timeoutMs = LOCK_TIMEOUT_MS) {}

  /**
   * Resolves with a release function once every earlier holder has released; rejects after the
   * timeout. A waiter that gave up passes its turn on as soon as it comes, so one stuck holder
   * delays the others only until it lets go, never for good.
   */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => mine);
    const turn = previous.then(() => release);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void turn.then((giveBack) => giveBack());
        reject(
          new Error(
            "database lock wait timed out: a transaction stayed open too long, or code inside a transaction used the global client instead of its transaction client",
          ),
        );
      }, this.timeoutMs);
    });
    return Promise.race([turn, timeout]).finally(() => clearTimeout(timer));
  }
}

function serialize(adapter: SqlDriverAdapter, lock: Lock): SqlDriverAdapter {
  const exclusive = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await lock.acquire();
    try {
      return await run();
    } finally {
      release();
    }
  };
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery) => exclusive(() => adapter.queryRaw(query)),
    executeRaw: (query: SqlQuery) => exclusive(() => adapter.executeRaw(query)),
    executeScript: (script: string) => exclusive(() => adapter.executeScript(script)),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel) {
      const release = await lock.acquire();
      let transaction: Transaction;
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      // The transaction's own queries run while it holds the lock; ending it lets others in.
      const end = (finish: () => Promise<void>) => async () => {
        try {
          await finish();
        } finally {
          release();
        }
      };
      return Object.assign(Object.create(transaction) as Transaction, {
        commit: end(() => transaction.commit()),
        rollback: end(() => transaction.rollback()),
      });
    },
  };
}

/**
 * The same factory, whose connections never mix a transaction with other requests' queries. The
 * lock is held by every query and transaction; holding it (sqlite-write.server.ts) means Prisma
 * has nothing open on the database.
 */
export function serializedAdapterFactory(
  factory: SqlMigrationAwareDriverAdapterFactory,
  lock = new Lock(),
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect(), lock),
    connectToShadowDb: async () => serialize(await factory.connectToShadowDb(), new Lock()),
  };
}
