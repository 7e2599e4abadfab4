import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';

export interface OpsBoardOptions {
  /**
   * Where the board answers, relative to `scope` (the scope's own prefix is added).
   * Under AdminJS keep it below the admin's rootPath: AdminJS's session check only
   * guards URLs that start with it.
   */
  basePath: string;
  queues: Queue[];
  /** Runs before every route of the board (page, static files, JSON API): the place for a role check. */
  preHandler?: preHandlerAsyncHookHandler;
}


/**
 * bull-board (its page, static files from node_modules and JSON API) for `queues`,
 * at `basePath` in `scope`. Works on both BullMQ backends, but on PostgreSQL the
 * board cannot list running workers (the backend reports no client addresses); it
 * still warns when a queue has none.
 */
export async function registerOpsBoard(scope: FastifyInstance, { basePath, queues, preHandler }: OpsBoardOptions): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  // The page's <base href>: the public path, which includes the prefix of the scope it is mounted in.
  serverAdapter.setBasePath(`${scope.prefix}${basePath}`);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Ops' } },
  });
  // A scope of its own, so that bull-board's view engine, static files and error
  // handler, and its hook, stay off the routes of the scope it is mounted in.
  await scope.register(
    async (board) => {
      if (preHandler) board.addHook('preHandler', preHandler);
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: basePath },
  );
}
