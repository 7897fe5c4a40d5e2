import { idParams } from '../../contracts/common';
import { QR_CONTENT_TYPES, qrQuery } from '../../contracts/qr';
import type { ApiServices } from './deps';
import { QR_CACHE, sendQrImage } from '../../web/qr-response';
import { defineRoute } from '../route';

const QR_DESCRIPTION =
  'The image encodes the short URL itself, so every scan goes through the redirect and is counted. Fetching the image ' +
  'counts nothing. The same image is public at GET /{slug}/qr (or /qr/{slug}) on the link’s domain.';

export const qrRoutes = ({ links, qr }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/links/:id/qr',
    scope: 'links:read',
    tag: 'QR codes',
    summary: 'Get the QR code of a link',
    description: QR_DESCRIPTION,
    params: idParams('lnk'),
    query: qrQuery,
    produces: QR_CONTENT_TYPES,
    async handler({ params, query, actor, req, res }) {
      const link = await links.get(actor, params.id);
      sendQrImage(req, res, await qr.render(link.short_url, query), `qr-${link.slug}`, QR_CACHE.api);
    },
  }),
];
