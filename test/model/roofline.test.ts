import test from 'ava';
import {componentSeconds, tileFactor} from '../../src/model/roofline.js';
import type {DeviceRates, FamilyRates} from '../../src/schema/profile.js';

const base: FamilyRates = {
  matrixFlopsPerSec: 100e12,
  vectorFlopsPerSec: 10e12,
  bytesPerSec: 1e12,
  launchSeconds: 0,
};
const rates = (over: Partial<FamilyRates>): DeviceRates =>
  ({'attention-fused': {...base, ...over}}) as unknown as DeviceRates;
const work = {
  kernel: 'attention-fused' as const,
  macs: 50e9,
  vectorFlops: 5e9,
  readBytes: 1e9,
  writeBytes: 0,
  launches: 1,
};

test('untiled work keeps the classic roofline: max of the three terms plus launches', t => {
  const r = componentSeconds(work, rates({launchSeconds: 1e-6}), 2);
  // matrix 100 GFLOP / 100 TFLOP/s = 1 ms; vector 5 GFLOP / 10 TFLOP/s = 0.5 ms; memory 1 GB / 1 TB/s = 1 ms.
  t.is(r.computeSeconds, 1e-3);
  t.is(r.vectorSeconds, 0.5e-3);
  t.is(r.seconds, 1e-3 + 1e-6);
});

test('a kernel that does not overlap its softmax adds the exp time to the matrix time', t => {
  const r = componentSeconds({...work, readBytes: 0}, rates({overlapsSoftmax: false}), 2);
  t.is(r.seconds, 1.5e-3);
  t.is(r.bound, 'compute');
});

test('tile factor: diagonal blocks × per-tile overhead ÷ wave occupancy', t => {
  const r = {...base, tileOverheadSteps: 0.5, slots: 108};
  // 216 tiles fill two waves exactly: only the overhead, (800 + 216·0.5)/800 = 1.135.
  t.is(tileFactor({...work, tiles: 216, tileSteps: 800}, r), 1.135);
  // 128 tiles on 108 SMs: two waves, the second 20/108 full → occupancy 128/216.
  t.is(tileFactor({...work, tiles: 128, tileSteps: 800}, {...r, tileOverheadSteps: 0}), 216 / 128);
  // Causal diagonal: computed / useful pairs multiplies.
  t.is(
    tileFactor({...work, tiles: 216, tileSteps: 800, blockWork: 1.25}, {...r, tileOverheadSteps: 0}),
    1.25,
  );
  // Untiled work is untouched.
  t.is(tileFactor(work, r), 1);
});

test('forward and backward passes at their own matrix rates', t => {
  const w = {...work, vectorFlops: 0, readBytes: 0, passes: 3.5, backwardPasses: 2.5};
  const r = componentSeconds(w, rates({backwardMatrixFlopsPerSec: 50e12}), 2);
  // 1/3.5 of the 100 GFLOP at 100 TFLOP/s + 2.5/3.5 at 50 TFLOP/s.
  t.true(Math.abs(r.seconds - (1e-3 / 3.5 + (2.5 / 3.5) * 2e-3)) < 1e-15);
});

test('host time per call bounds short kernels from below (asynchronous dispatch)', t => {
  const tiny = {...work, macs: 1e6, vectorFlops: 0, readBytes: 0};
  const r = componentSeconds(tiny, rates({hostSeconds: 50e-6, launchSeconds: 2e-6}), 2);
  t.is(r.seconds, 50e-6);
  t.is(r.bound, 'launch');
  t.is(componentSeconds(work, rates({hostSeconds: 50e-6}), 2).seconds, 1e-3);
});

test('tile factor of unequal tiles: the grid ends half the longest tile after the balanced time, never before that tile', t => {
  const r = {...base, tileOverheadSteps: 0, slots: 264};
  // 16 heads × 128 causal tiles of 1, 2, …, 128 steps: W = 16·8,256 = 132,096; W/slots = 500.4;
  // the tail adds 128/2 = 64 steps → (500.4 + 64) / 500.4.
  const W = 16 * ((128 * 129) / 2);
  t.is(
    tileFactor({...work, tiles: 16 * 128, tileSteps: W, maxTileSteps: 128}, r),
    (W / 264 + 64) / (W / 264),
  );
  // Fewer tiles than slots: the longest tile is the whole time.
  t.is(tileFactor({...work, tiles: 8, tileSteps: 36, maxTileSteps: 8}, r), 8 / (36 / 264));
  // The per-tile overhead counts in both the work and the longest tile.
  const c0 = {...r, tileOverheadSteps: 1};
  const w1 = W + 16 * 128;
  t.is(
    tileFactor({...work, tiles: 16 * 128, tileSteps: W, maxTileSteps: 128}, c0),
    (w1 / W) * ((w1 / 264 + 129 / 2) / (w1 / 264)),
  );
});

test('the causal tail against a simulation of the hardware handing tiles to free slots in grid order', t => {
  // FA2's grid runs each head's query tiles in order (dim3 grid(num_m_block, b, h)): tile i of a
  // causal head steps over i + 1 key blocks. Simulated list scheduling on the slots vs the formula.
  const timed = work;
  for (const [heads, perHead, slots] of [
    [16, 128, 264],
    [32, 64, 132],
    [128, 16, 216],
    [8, 256, 264],
  ] as const) {
    const finish = new Array<number>(slots).fill(0);
    let steps = 0;
    for (let head = 0; head < heads; head++)
      for (let i = 1; i <= perHead; i++) {
        let k = 0;
        for (let j = 1; j < slots; j++) if (finish[j]! < finish[k]!) k = j;
        finish[k]! += i;
        steps += i;
      }
    const simulated = Math.max(...finish) / (steps / slots);
    const modelled = tileFactor(
      {...timed, tiles: heads * perHead, tileSteps: steps, maxTileSteps: perHead},
      {...base, tileOverheadSteps: 0, slots},
    );
    t.true(
      Math.abs(modelled - simulated) / simulated < 0.03,
      `${heads}×${perHead} on ${slots}: ${modelled} vs ${simulated}`,
    );
  }
});

test('a kernel that hands out its longest tiles first (FA3 causal) ends half its shortest tile after the balanced time', t => {
  const r = {...base, tileOverheadSteps: 0, slots: 132};
  const W = 16 * ((128 * 129) / 2);
  const causal = {...work, tiles: 16 * 128, tileSteps: W, maxTileSteps: 128, minTileSteps: 1};
  t.is(tileFactor(causal, {...r, longestFirst: true}), (W / 132 + 0.5) / (W / 132));
  t.true(tileFactor(causal, {...r, longestFirst: true}) < tileFactor(causal, r));
  // Simulated: tiles sorted longest first, each to the slot that frees first.
  const finish = new Array<number>(132).fill(0);
  const tiles = Array.from({length: 16 * 128}, (_, i) => 128 - (i % 128)).sort((a, b) => b - a);
  for (const p of tiles) {
    let k = 0;
    for (let j = 1; j < finish.length; j++) if (finish[j]! < finish[k]!) k = j;
    finish[k]! += p;
  }
  const simulated = Math.max(...finish) / (W / 132);
  const modelled = tileFactor(causal, {...r, longestFirst: true});
  t.true(Math.abs(modelled - simulated) / simulated < 0.01, `${modelled} vs ${simulated}`);
});

test("a causal backward's grid of key blocks starts with its longest: its tail is half the shortest tile", t => {
  const r = {...base, tileOverheadSteps: 0, slots: 264, backwardMatrixFlopsPerSec: 50e12};
  const W = 16 * ((128 * 129) / 2);
  const causal = {...work, tiles: 16 * 128, tileSteps: W, maxTileSteps: 128, minTileSteps: 1};
  t.is(tileFactor(causal, r, 'backward'), (W / 264 + 0.5) / (W / 264));
  t.is(tileFactor(causal, r), (W / 264 + 64) / (W / 264));
  // Forward + backward (1 of 3.5 passes forward): each part at its own rate and its own tail.
  const train = {...causal, passes: 3.5, backwardPasses: 2.5, readBytes: 0};
  const got = componentSeconds(train, rates(r), 2).computeSeconds;
  const matmul = 2 * work.macs;
  const want =
    ((matmul * (1 / 3.5)) / 100e12) * tileFactor(causal, r) +
    ((matmul * (2.5 / 3.5)) / 50e12) * tileFactor(causal, r, 'backward');
  t.true(Math.abs(got - want) / want < 1e-12, `${got} vs ${want}`);
});
