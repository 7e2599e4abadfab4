import type { FastifyInstance } from 'fastify';

// AdminJS's pages and bull-board's both link a Google Fonts stylesheet. The
// CMS has to work without the internet and should not tell Google who opens
// it; both stylesheets fall back to the system fonts.
const GOOGLE_FONTS_LINK = /<link[^>]*fonts\.googleapis\.com[^>]*>\s*/g;

/** Strips links to external fonts from every HTML page served in `scope` (and its children). */
export function serveOfflineHtml(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply, payload) =>
    typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
      ? payload.replace(GOOGLE_FONTS_LINK, '')
      : payload,
  );
}
