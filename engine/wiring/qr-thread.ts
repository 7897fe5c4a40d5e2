// A QR thread (see domain/qr/pool.ts): draws the codes the engine hands it, one at a time, off the event loop.
import { parentPort } from 'node:worker_threads';
import { drawQr } from '../domain/qr/draw';
import type { QrThreadReply, QrThreadRequest } from '../domain/qr/pool';

const port = parentPort;
if (!port) throw new Error('qr-thread runs as a worker thread');

port.on('message', (request: QrThreadRequest) => {
  drawQr(request.text, request.options).then(
    (image) => {
      const body = new Uint8Array(image.body.buffer, image.body.byteOffset, image.body.byteLength);
      const reply: QrThreadReply = { id: request.id, ok: true, body, contentType: image.contentType };
      // Transfer only a buffer the image owns alone (small Buffers share Node's pool).
      const owned = image.body.byteOffset === 0 && image.body.byteLength === image.body.buffer.byteLength;
      port.postMessage(reply, owned ? [body.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const reply: QrThreadReply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
    },
  );
});
