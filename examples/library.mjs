// attncap as a library: the README's questions from a plain Node script (docs/library.md).
// Run: npm run build && node examples/library.mjs
import {compare, cost, maxSeq, resolve} from 'attncap';

// How long a sequence fits an H100 for Llama 3.1 8B with FlashAttention?
const llama = await resolve({model: 'llama-3.1-8b', hardware: 'h100-sxm', variant: 'flash'});
const [row] = (await maxSeq(llama)).rows;
console.log(
  `llama-3.1-8b + flash on h100-sxm: ${row.maxSeq} tokens (binding: ${row.binding}; memory alone allows ${row.maxSeqMemory})`,
);

// FLOPs of GPT-2 small at 4k, standard vs flash.
for (const r of (await cost({model: 'gpt2-small', seq: '4k', variant: ['standard', 'flash']})).rows)
  console.log(`gpt2-small ${r.variantLabel} at ${r.seq}: ${(r.flops / 1e9).toFixed(1)} GFLOP`);

// Does a 128k context fit, variant by variant, on an A100 40GB? Warnings say what misleads.
const q = await compare({model: 'llama-3.1-8b', seq: '128k', hardware: 'a100-40gb'});
for (const r of q.rows) console.log(`${r.variantLabel}: ${r.fits ? 'fits' : 'does not fit'}`);
for (const w of q.warnings) console.log(`warning (${w.code}): ${w.message}`);
