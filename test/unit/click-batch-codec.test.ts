import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { packClicks, unpackClicks, type PackedClicks } from '../../engine/clicks/batch-codec';
import type { ClickedLink, IdentifiedClick } from '../../engine/clicks';

const link = (id: string, maxClicks: number | null = null): ClickedLink => ({
  id,
  workspaceId: 'ws_1',
  mode: 'live',
  domain: 'go.example',
  slug: id.slice(-4),
  shortUrl: `https://go.example/${id.slice(-4)}`,
  maxClicks,
});

/** Posts through a real MessagePort, as the click writer does, so the structured clone is part of the round trip. */
function throughPort(packed: PackedClicks): Promise<PackedClicks> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (message: PackedClicks) => {
      port1.close();
      resolve(message);
    });
    port1.postMessage(packed);
  });
}

describe('the click batch codec', () => {
  test('a batch comes back field for field: nulls, HEAD flags, per-click ids and times, shared links and strings', async () => {
    const a = link('lnk_aaaa');
    const b = link('lnk_bbbb', 10);
    const clicks: IdentifiedClick[] = [
      { id: 'clk_1', link: a, at: 1_700_000_000_001, url: 'https://example.com/a', userAgent: 'UA one', referrer: null, country: null, address: '10.0.0.1', head: false },
      { id: 'clk_2', link: b, at: 1_700_000_000_002, url: 'https://example.com/b?x=1', userAgent: 'UA two', referrer: 'https://ref.example/', country: 'DE', address: '::1', head: true },
      { id: 'clk_3', link: a, at: 1_700_000_000_003, url: 'https://example.com/a', userAgent: 'UA one', referrer: '', country: 'DE', address: '10.0.0.1', head: false },
    ];
    const packed = await throughPort(packClicks(clicks));
    assert.deepEqual(unpackClicks(packed), clicks);
    assert.equal(packed.links.length, 2, 'each link is sent once');
    assert.equal(new Set(packed.strings).size, packed.strings.length, 'each string is sent once');
  });

  test('an empty batch packs and unpacks to nothing', () => {
    assert.deepEqual(unpackClicks(packClicks([])), []);
  });
});
