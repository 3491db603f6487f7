import {fileURLToPath} from 'node:url';
import test from 'ava';
import {modelRow, planRows} from '../../src/commands/presets/models.js';
import {loadModel, loadModelFile} from '../../src/presets/load.js';

const gemmaLike = () =>
  loadModelFile(fileURLToPath(new URL('../../../test/fixtures/presets/gemma-like.yaml', import.meta.url)));

test('presets models ID shows a pattern entry by entry, with the layers each covers', t => {
  t.deepEqual(planRows(gemmaLike()), [
    ['layer plan', '34 = 29× local window w=1024 + 5× global standard (pattern 5:1)'],
    ['pattern[0] local', '5 per cycle → 29 layers: window w=1024'],
    ['pattern[1] global', '1 per cycle → 5 layers: standard'],
    ['layer order', 'cycles of 6 layers: 5 whole, then the first 4 of the next'],
  ]);
  // A model without a plan shows no plan rows (its attention row says it all).
  t.deepEqual(planRows(loadModel('llama-3.1-8b')), []);
});

test('presets models --json carries the plan group by group, in layer order (additive field)', t => {
  const row = modelRow(gemmaLike());
  t.is(row.id, 'gemma-like');
  t.is(row.layerPlan?.summary, '34 = 29× local window w=1024 + 5× global standard (pattern 5:1)');
  t.is(row.layerPlan?.groups.length, 11);
  t.deepEqual(row.layerPlan?.groups[1], {
    firstLayer: 5,
    repeat: 1,
    kind: 'attention',
    name: 'global',
    variant: 'standard',
    heads: 8,
    kvHeads: 4,
    headDim: 256,
    mlp: 'dense',
    sinks: false,
  });
  t.is(row.layerPlan?.groups[10]?.firstLayer, 30);
  t.is(modelRow(loadModel('llama-3.1-8b')).layerPlan?.summary, '32× standard');
  t.is(modelRow(loadModel('mamba-130m')).layerPlan, undefined);
});
