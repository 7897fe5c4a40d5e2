import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { ClickPacker, ClickUnpacker, type PackedClicks } from '../../engine/clicks/batch-codec';
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

const click = (id: string, clicked: ClickedLink): IdentifiedClick => ({
  id,
  link: clicked,
  at: 1_700_000_000_000,
  url: `https://example.com/${clicked.slug}`,
  userAgent: 'UA',
  referrer: null,
  country: null,
  address: '10.0.0.1',
  head: false,
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
    const packed = await throughPort(new ClickPacker().pack(clicks));
    assert.deepEqual(new ClickUnpacker().unpack(packed), clicks);
    assert.equal(packed.newLinks.length, 2, 'each link is sent once');
    assert.equal(new Set(packed.strings).size, packed.strings.length, 'each string is sent once');
  });

  test('a link goes over once: later batches refer to it and still unpack to it', async () => {
    const [a, b, c] = [link('lnk_aaaa'), link('lnk_bbbb'), link('lnk_cccc')];
    const packer = new ClickPacker();
    const unpacker = new ClickUnpacker();
    const first = await throughPort(packer.pack([click('clk_1', a), click('clk_2', b)]));
    const second = await throughPort(packer.pack([click('clk_3', b), click('clk_4', c), click('clk_5', a)]));
    assert.deepEqual(second.newLinks, [c], 'only the link not sent before');
    assert.deepEqual(unpacker.unpack(first), [click('clk_1', a), click('clk_2', b)]);
    assert.deepEqual(unpacker.unpack(second), [click('clk_3', b), click('clk_4', c), click('clk_5', a)]);
  });

  test('an edited link (a new object with the same id) is sent again', async () => {
    const before = link('lnk_aaaa', 10);
    const after = { ...before, maxClicks: 20 };
    const packer = new ClickPacker();
    const unpacker = new ClickUnpacker();
    unpacker.unpack(await throughPort(packer.pack([click('clk_1', before)])));
    const [edited] = unpacker.unpack(await throughPort(packer.pack([click('clk_2', after)])));
    assert.equal(edited.link.maxClicks, 20);
  });

  test('once the table holds its limit both sides start over, and every click keeps its own link', async () => {
    const links = ['lnk_aaaa', 'lnk_bbbb', 'lnk_cccc', 'lnk_dddd', 'lnk_eeee'].map((id) => link(id));
    const packer = new ClickPacker(2);
    const unpacker = new ClickUnpacker();
    const resets: boolean[] = [];
    for (const [i, clicked] of links.entries()) {
      const batch = [click(`clk_${i}`, clicked), click(`clk_${i}b`, links[0])];
      const packed = await throughPort(packer.pack(batch));
      resets.push(packed.resetLinks);
      assert.deepEqual(unpacker.unpack(packed), batch);
    }
    assert.deepEqual(resets, [false, false, true, true, true]);
  });

  test('an empty batch packs and unpacks to nothing', () => {
    assert.deepEqual(new ClickUnpacker().unpack(new ClickPacker().pack([])), []);
  });
});
