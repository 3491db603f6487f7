/**
 * Import of a Hugging Face `config.json` as a model preset (docs/import.md). A pure function of
 * the parsed JSON: no I/O. Each supported `model_type` declares how its fields map onto the model
 * preset schema, following the meaning Hugging Face transformers gives them in
 * `models/<family>/configuration_<family>.py` and `modeling_<family>.py` (cited per family in
 * docs/import.md). What the import cannot express but that changes cost becomes a warning naming
 * the field; a missing required field or an unsupported `model_type` is an InvalidInputError
 * naming the field or the supported types. Values of the file are never echoed beyond the field
 * named (a model_type is shown shortened).
 */
import {InvalidInputError} from '../errors.js';
import type {ModelPresetInput} from '../schema/presets.js';
import {formatPath, type Problem, problemsError} from './validate.js';

type Json = Record<string, unknown>;

export interface HfImportOptions {
  /** The file as the user named it: error lines, the source title and the default id. */
  label: string;
  /** The preset id; default: from `_name_or_path`, else the file's folder or name. */
  id?: string;
}

export interface HfImport {
  /** Not yet validated against the model preset schema (the loader does that). */
  preset: ModelPresetInput;
  /** Cost-relevant fields attncap does not model, one sentence each, naming the field. */
  warnings: string[];
}

const IMPORT_HINT =
  'attncap imports Hugging Face config.json files of the families in docs/import.md; other models: write a model preset (docs/presets.md)';

/** True when parsed data looks like a Hugging Face config (has `model_type` or `architectures`). */
export function isHfConfig(data: unknown): data is Json {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const json = data as Json;
  return typeof json.model_type === 'string' || Array.isArray(json.architectures);
}

// ---- reading fields -----------------------------------------------------------------------------

/** Reads one config object (the top level, or `text_config`), collecting problems and uses. */
class Reader {
  readonly problems: Problem[] = [];

  constructor(
    readonly data: Json,
    /** Where `data` sits in the file: [] or ['text_config']. */
    readonly at: readonly string[],
    readonly family: string,
  ) {}

  /** The value, with JSON null read as absent. */
  raw(key: string): unknown {
    const value = this.data[key];
    return value === null ? undefined : value;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  private bad(key: string, message: string): void {
    this.problems.push({path: [...this.at, key], message});
  }

  /** A required positive integer; 1 stands in when missing so that mapping can go on. */
  int(key: string, what: string): number {
    const value = this.raw(key);
    if (value === undefined) {
      this.bad(key, `missing required field of a ${this.family} config (${what})`);
      return 1;
    }
    return this.check(key, value) ?? 1;
  }

  /** An optional non-negative integer (a layer index or offset). */
  optIndex(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    this.bad(key, `expected a non-negative integer, received ${kindOf(value)}`);
    return undefined;
  }

  /** An optional positive integer. */
  optInt(key: string): number | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : this.check(key, value);
  }

  /** A problem of a field that the mapping finds (a rule across fields). */
  problem(key: string, message: string): void {
    this.bad(key, message);
  }

  private check(key: string, value: unknown): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    this.bad(key, `expected a positive integer, received ${kindOf(value)}`);
    return undefined;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.bad(key, `expected true or false, received ${kindOf(value)}`);
    return fallback;
  }

  str(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    this.bad(key, `expected a string, received ${kindOf(value)}`);
    return undefined;
  }

  /** The path of a field for warnings: `text_config.sliding_window`. */
  path(key: string): string {
    return formatPath([...this.at, key]);
  }
}

/** The type of a value, never its content. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}` : 'a fraction';
  return `a ${typeof value}`;
}

// ---- families -----------------------------------------------------------------------------------

/**
 * Layer kinds of the stack as Hugging Face's `layer_types` names them: full and sliding-window
 * attention, chunked local attention (Llama 4), Gated DeltaNet "linear attention" (Qwen3-Next),
 * Mamba-1 (Jamba), Mamba-2 (Nemotron-H, Mamba-2).
 */
type LayerKind = 'full' | 'sliding' | 'chunked' | 'linear' | 'mamba' | 'mamba2';
type MlpKind = 'dense' | 'moe' | 'none';

/** The stack, layer by layer (docs/layer-plans.md: it becomes the preset's variant, pattern or schedule). */
interface Layers {
  kinds: LayerKind[];
  /** Keys of a sliding layer (sliding_window). */
  window?: number;
  /** Tokens of a chunk (attention_chunk_size). */
  chunk?: number;
  /** Every attention layer has attention sinks (gpt-oss). */
  sinks?: boolean;
  /** The FFN of each layer, where layers differ (Nemotron-H's mixer-only layers, Llama 4's interleaved MoE). */
  mlp?: MlpKind[];
}

interface Mapped {
  /** Preset fields (dimensions, FFN, biases, vocabulary). */
  fields: ModelPresetInput;
  /** Per layer, when some layers attend within a window; with the window in tokens. */
  layers?: Layers;
}

interface Family {
  /** Hugging Face `model_type` values this family reads. */
  modelTypes: readonly string[];
  /** Class names in `architectures` (for configs without a model_type). */
  architectures: readonly string[];
  map(r: Reader, warn: (key: string, message: string) => void): Mapped;
}

/** The gated activations: SiLU/swish gates (SwiGLU), GELU gates (GeGLU). */
function gatedFfn(act: string | undefined): 'swiglu' | 'geglu' {
  return act?.startsWith('gelu') ? 'geglu' : 'swiglu';
}

/** hidden_act of the gated families, with the transformers default (silu; Gemma gelu_pytorch_tanh). */
function activation(r: Reader, fallback: string): string {
  return r.str('hidden_activation') ?? r.str('hidden_act') ?? fallback;
}

/**
 * The fields every Llama-style decoder shares (LlamaConfig and its descendants): RMSNorm, rotary
 * positions (nothing learned), a gated FFN, GQA via num_key_value_heads (default: heads), head_dim
 * when stated (default hidden_size / heads, or the family's own default).
 */
function decoderFields(
  r: Reader,
  defaults: {headDim?: number; tied: boolean; act: string},
): ModelPresetInput {
  const dModel = r.int('hidden_size', 'the model width');
  const heads = r.int('num_attention_heads', 'query heads');
  const headDim = r.optInt('head_dim') ?? defaults.headDim ?? Math.floor(dModel / heads);
  return {
    id: '',
    name: '',
    sources: [],
    architecture: 'transformer',
    dModel,
    heads,
    kvHeads: r.optInt('num_key_value_heads') ?? heads,
    headDim,
    layers: r.int('num_hidden_layers', 'the number of layers'),
    dFf: r.int('intermediate_size', 'the FFN width'),
    ffn: gatedFfn(activation(r, defaults.act)),
    vocab: r.int('vocab_size', 'the vocabulary size'),
    contextLength: r.optInt('max_position_embeddings'),
    causal: true,
    tiedEmbeddings: r.bool('tie_word_embeddings', defaults.tied),
    norm: 'rmsnorm',
    linearBias: false,
  };
}

/**
 * LlamaConfig: attention_bias puts biases on q/k/v/o, mlp_bias on the FFN's three matrices.
 * Both together are attncap's linearBias; attention alone is attentionBias qkvo; the FFN alone
 * cannot be stated and is warned about.
 */
function llamaBiases(r: Reader, warn: (key: string, message: string) => void): Partial<ModelPresetInput> {
  const attention = r.bool('attention_bias', false);
  const mlp = r.bool('mlp_bias', false);
  if (mlp && !attention)
    warn('mlp_bias', 'true puts biases on the FFN matrices only; attncap does not count them');
  if (attention && mlp) return {linearBias: true};
  return attention ? {attentionBias: 'qkvo'} : {};
}

/** The sliding window of every layer, when set (Mistral, Mixtral, Phi-3). */
function everyLayerWindow(r: Reader, layers: number): Mapped['layers'] {
  const window = r.optInt('sliding_window');
  return window === undefined ? undefined : {kinds: new Array(layers).fill('sliding'), window};
}

/**
 * Qwen2/Qwen3 (configuration_qwen2.py): the window applies only with use_sliding_window, to the
 * layers from max_window_layers on (layer_types: sliding where i >= max_window_layers).
 */
function qwenWindow(r: Reader, layers: number): Mapped['layers'] {
  const window = r.optInt('sliding_window');
  if (!r.bool('use_sliding_window', false) || window === undefined) return undefined;
  const from = r.optInt('max_window_layers') ?? layers;
  return {kinds: Array.from({length: layers}, (_, i) => (i >= from ? 'sliding' : 'full')), window};
}

/**
 * An explicit `layer_types` list wins; else every `pattern`-th layer is global, the others slide
 * (Gemma 2: pattern 2, layer 0 slides; Gemma 3: sliding_window_pattern 6 → 5 local : 1 global).
 */
function patternedWindow(r: Reader, layers: number, pattern: number): Mapped['layers'] {
  const window = r.optInt('sliding_window');
  if (window === undefined) return undefined;
  const explicit = layerTypes(r, layers);
  if (explicit !== undefined) return {kinds: explicit, window};
  return {
    kinds: Array.from({length: layers}, (_, i) => ((i + 1) % pattern === 0 ? 'full' : 'sliding')),
    window,
  };
}

/** `layer_types` ("full_attention" / "sliding_attention"), one per layer, when the config lists them. */
function layerTypes(
  r: Reader,
  layers: number,
  known: Record<string, LayerKind> = {full_attention: 'full', sliding_attention: 'sliding'},
): LayerKind[] | undefined {
  const value = r.raw('layer_types');
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== layers || value.some(v => typeof v !== 'string')) {
    r.problems.push({
      path: [...r.at, 'layer_types'],
      message: `expected one string per layer (${layers}: num_hidden_layers), received ${kindOf(value)}${Array.isArray(value) ? ` of ${value.length}` : ''}`,
    });
    return undefined;
  }
  const unknown = value.findIndex(v => known[v as string] === undefined);
  if (unknown >= 0) {
    r.problems.push({
      path: [...r.at, 'layer_types', unknown],
      message: `not a layer type attncap imports; valid: ${Object.keys(known).join(', ')}`,
    });
    return undefined;
  }
  return value.map(v => known[v as string]);
}

/** A field that changes cost and that attncap does not model: warned about when set (not null/false). */
function warnIfSet(
  r: Reader,
  warn: (key: string, message: string) => void,
  key: string,
  message: string,
): void {
  const value = r.raw(key);
  if (value !== undefined && value !== false) warn(key, message);
}

const llama: Family = {
  modelTypes: ['llama', 'mistral', 'ministral', 'ministral3'],
  architectures: ['LlamaForCausalLM', 'MistralForCausalLM', 'MinistralForCausalLM', 'Ministral3ForCausalLM'],
  map(r, warn) {
    // Ministral3Config: head_dim defaults to 128 (Mistral/Ministral: hidden_size / heads, unless stated).
    const headDim = r.family === 'ministral3' ? 128 : undefined;
    const fields = {...decoderFields(r, {headDim, tied: false, act: 'silu'}), ...llamaBiases(r, warn)};
    // MistralConfig and MinistralConfig default sliding_window to 4096 when the key is absent
    // (configuration_mistral.py, configuration_ministral.py); Llama and Ministral3 have none.
    // MinistralConfig's layer_types (sliding/full per layer) win when listed.
    const defaultWindow =
      (r.family === 'mistral' || r.family === 'ministral') && !('sliding_window' in r.data);
    const window = defaultWindow ? 4096 : r.optInt('sliding_window');
    const listed = r.family === 'ministral' ? layerTypes(r, fields.layers) : undefined;
    const layers =
      window === undefined
        ? undefined
        : {kinds: listed ?? new Array<LayerKind>(fields.layers).fill('sliding'), window};
    return {fields, layers};
  },
};

const olmo: Family = {
  modelTypes: ['olmo2', 'olmo3'],
  architectures: ['Olmo2ForCausalLM', 'Olmo3ForCausalLM'],
  map(r, warn) {
    // modeling_olmo2.py: Llama's projections (attention_bias on q/k/v/o), the two norms after the
    // attention and the MLP instead of before (as many weights), q/k norms over the whole
    // projection (hidden_size and kv-heads × head_dim weights: under 0.01 %).
    const fields = {...decoderFields(r, {tied: false, act: 'silu'}), ...llamaBiases(r, warn)};
    if (r.family !== 'olmo3') return {fields};
    // configuration_olmo3.py: sliding_window defaults to 4096; layer_types default to every fourth
    // layer full ((i + 1) % 4 == 0), the others sliding.
    const window = 'sliding_window' in r.data ? r.optInt('sliding_window') : 4096;
    if (window === undefined) return {fields};
    const kinds =
      layerTypes(r, fields.layers) ??
      Array.from({length: fields.layers}, (_, i): LayerKind => ((i + 1) % 4 === 0 ? 'full' : 'sliding'));
    return {fields, layers: {kinds, window}};
  },
};

const smollm3: Family = {
  modelTypes: ['smollm3'],
  architectures: ['SmolLM3ForCausalLM'],
  map(r, warn) {
    // configuration_smollm3.py: a Llama decoder with tied embeddings by default. no_rope_layers
    // (default: 0, no rotary embedding, every no_rope_layer_interval-th layer, 4) changes no cost;
    // with use_sliding_window and a sliding_window the NoPE layers slide, unless layer_types says.
    const fields = {...decoderFields(r, {tied: true, act: 'silu'}), ...llamaBiases(r, warn)};
    const window = r.optInt('sliding_window');
    if (window === undefined) return {fields};
    const listed = r.raw('no_rope_layers');
    const interval = r.optInt('no_rope_layer_interval') ?? 4;
    const rope = Array.from({length: fields.layers}, (_, i) =>
      Array.isArray(listed) && listed.length === fields.layers ? listed[i] !== 0 : (i + 1) % interval !== 0,
    );
    const derived = rope.map(
      (withRope): LayerKind => (r.bool('use_sliding_window', false) && !withRope ? 'sliding' : 'full'),
    );
    return {fields, layers: {kinds: layerTypes(r, fields.layers) ?? derived, window}};
  },
};

const granite: Family = {
  modelTypes: ['granite'],
  architectures: ['GraniteForCausalLM'],
  map(r, warn) {
    // configuration_granite.py: LlamaConfig plus embedding_multiplier, attention_multiplier,
    // residual_multiplier and logits_scaling — scalars applied to activations, no weights and one
    // multiply per element (not counted).
    const fields = {...decoderFields(r, {tied: false, act: 'silu'}), ...llamaBiases(r, warn)};
    return {fields};
  },
};

const qwen2: Family = {
  modelTypes: ['qwen2', 'qwen2_vl', 'qwen2_5_vl'],
  architectures: [
    'Qwen2ForCausalLM',
    'Qwen2VLForConditionalGeneration',
    'Qwen2_5_VLForConditionalGeneration',
  ],
  map(r) {
    // modeling_qwen2.py: q_proj, k_proj, v_proj with bias=True, o_proj bias=False. Qwen2-VL and
    // Qwen2.5-VL (configuration_qwen2_vl.py, configuration_qwen2_5_vl.py) keep this decoder's
    // fields at the top level (newer files under text_config); their M-RoPE changes no cost.
    const fields = {...decoderFields(r, {tied: false, act: 'silu'}), attentionBias: 'qkv' as const};
    return {fields, layers: qwenWindow(r, fields.layers)};
  },
};

const qwen3: Family = {
  modelTypes: ['qwen3'],
  architectures: ['Qwen3ForCausalLM'],
  map(r, warn) {
    // Qwen3Config: head_dim defaults to 128; attention_bias (q/k/v/o) defaults to false.
    const fields = {...decoderFields(r, {headDim: 128, tied: false, act: 'silu'}), ...llamaBiases(r, warn)};
    return {fields, layers: qwenWindow(r, fields.layers)};
  },
};

const phi3: Family = {
  modelTypes: ['phi3'],
  architectures: ['Phi3ForCausalLM'],
  map(r) {
    // modeling_phi3.py: fused qkv_proj and gate_up_proj without biases; the window (if any) on every layer.
    const fields = decoderFields(r, {tied: false, act: 'silu'});
    return {fields, layers: everyLayerWindow(r, fields.layers)};
  },
};

const gemma: Family = {
  modelTypes: ['gemma', 'gemma2', 'gemma3_text', 'gemma3'],
  architectures: [
    'GemmaForCausalLM',
    'Gemma2ForCausalLM',
    'Gemma3ForCausalLM',
    'Gemma3ForConditionalGeneration',
  ],
  map(r, warn) {
    // GemmaConfig (Gemma 1, CodeGemma) / Gemma2Config / Gemma3TextConfig: head_dim 256 and tied
    // embeddings by default, GeGLU (gelu_pytorch_tanh); Gemma 1 has no window (every layer global).
    const fields = {
      ...decoderFields(r, {headDim: 256, tied: true, act: 'gelu_pytorch_tanh'}),
      ...llamaBiases(r, warn),
    };
    warnIfSet(
      r,
      warn,
      'attn_logit_softcapping',
      'caps every attention score with a tanh; attncap does not count it',
    );
    if (r.family === 'gemma') return {fields};
    const pattern = r.family === 'gemma2' ? 2 : (r.optInt('sliding_window_pattern') ?? 6);
    return {fields, layers: patternedWindow(r, fields.layers, pattern)};
  },
};

const gpt2: Family = {
  modelTypes: ['gpt2'],
  architectures: ['GPT2LMHeadModel', 'GPT2Model'],
  map(r, warn) {
    // GPT2Config: n_inner null = 4·n_embd; LayerNorm, biases everywhere, learned positions, tied head.
    const dModel = r.int('n_embd', 'the model width');
    const heads = r.int('n_head', 'query heads');
    const positions = r.int('n_positions', 'learned positions');
    const act = r.str('activation_function') ?? 'gelu_new';
    warnIfSet(
      r,
      warn,
      'add_cross_attention',
      'adds a cross-attention block to every layer; attncap does not count it',
    );
    return {
      fields: {
        id: '',
        name: '',
        sources: [],
        architecture: 'transformer',
        dModel,
        heads,
        kvHeads: heads,
        headDim: Math.floor(dModel / heads),
        layers: r.int('n_layer', 'the number of layers'),
        dFf: r.optInt('n_inner') ?? 4 * dModel,
        ffn: act === 'relu' ? 'relu' : 'gelu',
        vocab: r.int('vocab_size', 'the vocabulary size'),
        contextLength: positions,
        causal: true,
        tiedEmbeddings: r.bool('tie_word_embeddings', true),
        linearBias: true,
        positions,
      },
    };
  },
};

const bert: Family = {
  modelTypes: ['bert'],
  architectures: ['BertModel', 'BertForMaskedLM', 'BertForPreTraining'],
  map(r, warn) {
    // BertConfig: post-LayerNorm encoder with biases, learned positions and token types, a pooler.
    const dModel = r.int('hidden_size', 'the model width');
    const heads = r.int('num_attention_heads', 'query heads');
    const positions = r.int('max_position_embeddings', 'learned positions');
    const act = r.str('hidden_act') ?? 'gelu';
    const kind = r.str('position_embedding_type');
    if (kind !== undefined && kind !== 'absolute')
      warn(
        'position_embedding_type',
        'relative position embeddings add per-score work that attncap does not count',
      );
    warnIfSet(
      r,
      warn,
      'is_decoder',
      'makes BERT a causal decoder; attncap imports it as a bidirectional encoder',
    );
    return {
      fields: {
        id: '',
        name: '',
        sources: [],
        architecture: 'transformer',
        dModel,
        heads,
        kvHeads: heads,
        headDim: Math.floor(dModel / heads),
        layers: r.int('num_hidden_layers', 'the number of layers'),
        dFf: r.int('intermediate_size', 'the FFN width'),
        ffn: act === 'relu' ? 'relu' : 'gelu',
        vocab: r.int('vocab_size', 'the vocabulary size'),
        contextLength: positions,
        causal: false,
        tiedEmbeddings: r.bool('tie_word_embeddings', true),
        linearBias: true,
        positions,
        tokenTypes: r.optInt('type_vocab_size') ?? 2,
        pooler: true,
      },
    };
  },
};

/**
 * Which layers are MoE in Qwen-MoE configs (modeling_qwen2_moe.py, modeling_qwen3_moe.py): layer i
 * unless it is in mlp_only_layers or (i + 1) % decoder_sparse_step ≠ 0. A leading run of dense
 * layers is moe.denseLayers; any other arrangement is warned about (counted as all MoE).
 */
function qwenDenseLayers(r: Reader, layers: number, warn: (key: string, message: string) => void): number {
  const step = r.optInt('decoder_sparse_step') ?? 1;
  const listed = r.raw('mlp_only_layers');
  const only = Array.isArray(listed) ? listed.filter((v): v is number => Number.isInteger(v)) : [];
  const dense = Array.from({length: layers}, (_, i) => only.includes(i) || (i + 1) % step !== 0);
  const leading = dense.indexOf(false) === -1 ? layers : dense.indexOf(false);
  if (dense.slice(leading).some(Boolean)) {
    warn(
      step === 1 ? 'mlp_only_layers' : 'decoder_sparse_step',
      'makes layers after the first MoE layer dense; attncap counts every layer from the first MoE layer on as MoE',
    );
  }
  return leading;
}

/** sliding_window, or the config class's default when the key is absent (null: no window). */
function windowOr(r: Reader, fallback: number): number | undefined {
  return 'sliding_window' in r.data ? r.optInt('sliding_window') : fallback;
}

const cohere2: Family = {
  modelTypes: ['cohere2'],
  architectures: ['Cohere2ForCausalLM'],
  map(r, warn) {
    // configuration_cohere2.py: head_dim is always hidden_size / heads (a head_dim key is
    // overwritten); tied embeddings by default; sliding_window 4096 by default; layer_types, else
    // every sliding_window_pattern-th layer (4) full. Cohere's one bias-free LayerNorm before the
    // parallel attention and MLP is counted as a Llama layer's two norms (d weights; < 0.01 %);
    // logit_scale multiplies the logits (not counted).
    const dModel = r.int('hidden_size', 'the model width');
    const heads = r.int('num_attention_heads', 'query heads');
    const fields = {
      ...decoderFields(r, {tied: true, act: 'silu'}),
      headDim: Math.floor(dModel / heads),
      ...llamaBiases(r, warn),
    };
    const window = windowOr(r, 4096);
    if (window === undefined) return {fields};
    const pattern = r.optInt('sliding_window_pattern') ?? 4;
    const kinds =
      layerTypes(r, fields.layers) ??
      Array.from(
        {length: fields.layers},
        (_, i): LayerKind => ((i + 1) % pattern === 0 ? 'full' : 'sliding'),
      );
    return {fields, layers: {kinds, window}};
  },
};

const exaone4: Family = {
  modelTypes: ['exaone4'],
  architectures: ['Exaone4ForCausalLM'],
  map(r) {
    // configuration_exaone4.py: sliding_window 4096 by default; layer_types, else every
    // sliding_window_pattern-th layer (4) full. Hub configs write the pattern as a string ("LLLG":
    // L local, G global), cycled here over the layers when layer_types is absent. Projections
    // without biases; the QK-reorder norms (post-norms and q/k norms of head_dim) do not change cost.
    const fields = decoderFields(r, {tied: false, act: 'silu'});
    const window = windowOr(r, 4096);
    if (window === undefined) return {fields};
    const pattern = r.raw('sliding_window_pattern') ?? 4;
    const byPattern = (i: number): LayerKind => {
      if (typeof pattern === 'string' && /^[LG]+$/.test(pattern))
        return pattern[i % pattern.length] === 'G' ? 'full' : 'sliding';
      const every = typeof pattern === 'number' && Number.isInteger(pattern) && pattern > 0 ? pattern : 4;
      return (i + 1) % every === 0 ? 'full' : 'sliding';
    };
    const kinds = layerTypes(r, fields.layers) ?? Array.from({length: fields.layers}, (_, i) => byPattern(i));
    return {fields, layers: {kinds, window}};
  },
};

const mixtral: Family = {
  modelTypes: ['mixtral'],
  architectures: ['MixtralForCausalLM'],
  map(r) {
    // MixtralConfig: every FFN is a block of num_local_experts SwiGLU experts of intermediate_size.
    const fields = decoderFields(r, {tied: false, act: 'silu'});
    const moe = {
      experts: r.int('num_local_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      expertDim: fields.dFf ?? 1,
    };
    return {fields: {...fields, moe}, layers: everyLayerWindow(r, fields.layers)};
  },
};

const qwenMoe: Family = {
  modelTypes: ['qwen2_moe', 'qwen3_moe'],
  architectures: ['Qwen2MoeForCausalLM', 'Qwen3MoeForCausalLM'],
  map(r, warn) {
    const qwen2 = r.family === 'qwen2_moe';
    const base = decoderFields(r, {headDim: qwen2 ? undefined : 128, tied: false, act: 'silu'});
    // Qwen2-MoE keeps Qwen2's q/k/v biases; Qwen3-MoE has attention_bias (default false).
    const fields = {...base, ...(qwen2 ? {attentionBias: 'qkv' as const} : llamaBiases(r, warn))};
    const sharedDim = r.optInt('shared_expert_intermediate_size');
    const moe = {
      experts: r.int('num_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      expertDim: r.int('moe_intermediate_size', 'the width of one expert'),
      ...(sharedDim === undefined ? {} : {shared: 1, sharedDim}),
      denseLayers: qwenDenseLayers(r, base.layers, warn),
    };
    return {fields: {...fields, moe}, layers: qwenWindow(r, fields.layers)};
  },
};

const deepseek: Family = {
  modelTypes: ['deepseek_v2', 'deepseek_v3'],
  architectures: ['DeepseekV2ForCausalLM', 'DeepseekV3ForCausalLM'],
  map(r, warn) {
    // configuration_deepseek_v3.py: MLA dimensions, n_routed_experts of moe_intermediate_size, the first
    // first_k_dense_replace layers dense (intermediate_size), sigmoid scores with a correction bias (noaux_tc).
    const dModel = r.int('hidden_size', 'the model width');
    const heads = r.int('num_attention_heads', 'query heads');
    const layers = r.int('num_hidden_layers', 'the number of layers');
    const nope = r.int('qk_nope_head_dim', 'query/key channels per head without rotary positions');
    const rope = r.int('qk_rope_head_dim', 'rotary query/key channels per head');
    const mla = {
      qLoraRank: r.optInt('q_lora_rank') ?? null,
      kvLoraRank: r.int('kv_lora_rank', 'the rank of the cached key/value latent'),
      qkNopeHeadDim: nope,
      qkRopeHeadDim: rope,
      vHeadDim: r.int('v_head_dim', 'value channels per head'),
    };
    const v3 = r.family === 'deepseek_v3';
    const scoring = r.str('scoring_func') ?? (v3 ? 'sigmoid' : 'softmax');
    const moe = {
      experts: r.int('n_routed_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      shared: r.optInt('n_shared_experts') ?? 0,
      expertDim: r.int('moe_intermediate_size', 'the width of one expert'),
      denseLayers: r.optInt('first_k_dense_replace') ?? 0,
      router: scoring === 'sigmoid' ? ('sigmoid' as const) : ('softmax' as const),
      routerBias: (r.str('topk_method') ?? (v3 ? 'noaux_tc' : 'greedy')) === 'noaux_tc',
    };
    if ((r.optInt('moe_layer_freq') ?? 1) !== 1)
      warn(
        'moe_layer_freq',
        'puts dense layers between MoE layers; attncap counts every layer after the first dense ones as MoE',
      );
    warnMtp(r, warn);
    warnIfSet(r, warn, 'attention_bias', 'puts biases on the MLA projections; attncap does not count them');
    return {
      fields: {
        id: '',
        name: '',
        sources: [],
        architecture: 'transformer',
        dModel,
        heads,
        headDim: nope + rope,
        layers,
        dFf: r.int('intermediate_size', 'the dense FFN width'),
        ffn: gatedFfn(activation(r, 'silu')),
        vocab: r.int('vocab_size', 'the vocabulary size'),
        contextLength: r.optInt('max_position_embeddings'),
        causal: true,
        tiedEmbeddings: r.bool('tie_word_embeddings', false),
        norm: 'rmsnorm',
        linearBias: false,
        mla,
        moe,
      },
    };
  },
};

/** The multi-token-prediction layers a checkpoint carries beyond num_hidden_layers (DeepSeek-V3, GLM-4.5). */
function warnMtp(r: Reader, warn: (key: string, message: string) => void): void {
  const mtp = r.optInt('num_nextn_predict_layers');
  if (mtp !== undefined)
    warn(
      'num_nextn_predict_layers',
      `the multi-token-prediction module (${mtp} extra layer${mtp === 1 ? '' : 's'}) is not counted, as in the published totals`,
    );
}

const glm4Moe: Family = {
  modelTypes: ['glm4_moe'],
  architectures: ['Glm4MoeForCausalLM'],
  map(r, warn) {
    // modeling_glm4_moe.py: q/k/v with bias=attention_bias, o_proj without; the first
    // first_k_dense_replace layers a dense MLP of intermediate_size, the others n_routed_experts of
    // moe_intermediate_size plus shared experts of moe_intermediate_size × n_shared_experts; the
    // router scores with a sigmoid and adds e_score_correction_bias (DeepSeek-V3's noaux_tc).
    // partial_rotary_factor (RoPE on part of each head) and use_qk_norm (head_dim weights) leave
    // the cost as it is.
    const base = decoderFields(r, {tied: false, act: 'silu'});
    const moe = {
      experts: r.int('n_routed_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      shared: r.optInt('n_shared_experts') ?? 1,
      expertDim: r.int('moe_intermediate_size', 'the width of one expert'),
      denseLayers: r.optInt('first_k_dense_replace') ?? 1,
      router: 'sigmoid' as const,
      routerBias: true,
    };
    warnMtp(r, warn);
    const bias = r.bool('attention_bias', false) ? {attentionBias: 'qkv' as const} : {};
    return {fields: {...base, ...bias, moe}};
  },
};

const ernie45: Family = {
  modelTypes: ['ernie4_5', 'ernie4_5_moe'],
  architectures: ['Ernie4_5ForCausalLM', 'Ernie4_5_MoeForCausalLM'],
  map(r, warn) {
    // configuration_ernie4_5_moe.py: use_bias puts biases on every projection, attention and MLP;
    // tied embeddings by default. Layer i is MoE when moe_layer_start_index <= i <=
    // moe_layer_end_index (-1 or absent: the last layer) and (i + 1) % moe_layer_interval == 0;
    // moe_num_experts routed experts of moe_intermediate_size, moe_k per token, shared experts
    // of moe_intermediate_size × moe_num_shared_experts, a softmax router whose selection adds a
    // per-expert bias (moe_statics.e_score_correction_bias).
    const base = decoderFields(r, {tied: true, act: 'silu'});
    const fields = {...base, ...(r.bool('use_bias', false) ? {linearBias: true} : {})};
    if (r.family !== 'ernie4_5_moe') return {fields};
    warnMtp(r, warn);
    const layers = base.layers;
    const start = r.raw('moe_layer_start_index') === 0 ? 0 : (r.optInt('moe_layer_start_index') ?? 1);
    const endRaw = r.raw('moe_layer_end_index');
    const end =
      endRaw === undefined || endRaw === -1 ? layers - 1 : (r.optInt('moe_layer_end_index') ?? layers - 1);
    const interval = r.optInt('moe_layer_interval') ?? 1;
    const mlp = Array.from(
      {length: layers},
      (_, i): MlpKind => (i >= start && i <= end && (i + 1) % interval === 0 ? 'moe' : 'dense'),
    );
    const leading = mlp.indexOf('moe') === -1 ? layers : mlp.indexOf('moe');
    const onlyLeading = mlp.slice(leading).every(kind => kind === 'moe');
    const moe = {
      experts: r.int('moe_num_experts', 'routed experts'),
      active: r.int('moe_k', 'experts per token'),
      shared: r.raw('moe_num_shared_experts') === 0 ? 0 : (r.optInt('moe_num_shared_experts') ?? 2),
      expertDim: r.int('moe_intermediate_size', 'the width of one expert'),
      denseLayers: onlyLeading ? leading : 0,
      router: 'softmax' as const,
      routerBias: true,
    };
    return {
      fields: {...fields, moe},
      layers: onlyLeading ? undefined : {kinds: new Array<LayerKind>(layers).fill('full'), mlp},
    };
  },
};

const gptOss: Family = {
  modelTypes: ['gpt_oss'],
  architectures: ['GptOssForCausalLM'],
  map(r) {
    // modeling_gpt_oss.py: q/k/v/o with biases, experts with biases (gate_up_proj_bias, down_proj_bias),
    // a router with a bias; layer_types alternate 128-token windows and full attention.
    const base = decoderFields(r, {tied: false, act: 'silu'});
    const moe = {
      experts: r.int('num_local_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      expertDim: base.dFf ?? 1,
      routerBias: true,
    };
    const window = r.optInt('sliding_window');
    const kinds = layerTypes(r, base.layers);
    return {
      fields: {...base, linearBias: true, moe},
      layers: {kinds: kinds ?? new Array(base.layers).fill('full'), window, sinks: true},
    };
  },
};

const qwen3Next: Family = {
  modelTypes: ['qwen3_next'],
  architectures: ['Qwen3NextForCausalLM'],
  map(r, warn) {
    // configuration_qwen3_next.py: layer_types "linear_attention" (Gated DeltaNet) / "full_attention",
    // by default every full_attention_interval-th layer full; MoE with one shared expert in every layer.
    const base = decoderFields(r, {headDim: 256, tied: false, act: 'silu'});
    const sharedDim = r.optInt('shared_expert_intermediate_size');
    const moe = {
      experts: r.int('num_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      expertDim: r.int('moe_intermediate_size', 'the width of one expert'),
      ...(sharedDim === undefined ? {} : {shared: 1, sharedDim}),
      denseLayers: qwenDenseLayers(r, base.layers, warn),
    };
    const keyHeads = r.int('linear_num_key_heads', 'Gated DeltaNet key heads');
    const gatedDeltaNet = {
      heads: keyHeads,
      keyHeadDim: r.int('linear_key_head_dim', 'Gated DeltaNet key channels per head'),
      valueHeadDim: r.int('linear_value_head_dim', 'Gated DeltaNet value channels per head'),
      valueHeads: r.optInt('linear_num_value_heads') ?? keyHeads,
      conv: r.optInt('linear_conv_kernel_dim') ?? 4,
    };
    if (r.bool('attn_output_gate', true))
      warn(
        'attn_output_gate',
        'gates each attention output with a sigmoid of a second query-sized projection; attncap does not count it',
      );
    const interval = r.optInt('full_attention_interval') ?? 4;
    const kinds =
      layerTypes(r, base.layers, {full_attention: 'full', linear_attention: 'linear'}) ??
      Array.from({length: base.layers}, (_, i): LayerKind => ((i + 1) % interval === 0 ? 'full' : 'linear'));
    return {fields: {...base, ...llamaBiases(r, warn), moe, gatedDeltaNet}, layers: {kinds}};
  },
};

const llama4: Family = {
  modelTypes: ['llama4', 'llama4_text'],
  architectures: ['Llama4ForConditionalGeneration', 'Llama4ForCausalLM'],
  map(r, warn) {
    // configuration_llama4.py: no_rope_layers[i] = 1 → a RoPE layer with chunked attention of
    // attention_chunk_size, 0 → a global NoPE layer (default: every no_rope_layer_interval-th, 4);
    // MoE every interleave_moe_layer_step-th layer (experts of intermediate_size plus one shared
    // expert), the other layers dense of intermediate_size_mlp.
    const base = decoderFields(r, {tied: false, act: 'silu'});
    const layers = base.layers;
    const step = r.optInt('interleave_moe_layer_step') ?? 1;
    const isMoe = (i: number) => (i + 1) % step === 0;
    const expertDim = base.dFf ?? 1;
    const moe = {
      experts: r.int('num_local_experts', 'routed experts'),
      active: r.int('num_experts_per_tok', 'experts per token'),
      expertDim,
      shared: 1,
      sharedDim: expertDim,
      router: 'sigmoid' as const,
    };
    const listed = r.raw('no_rope_layers');
    const interval = r.optInt('no_rope_layer_interval') ?? 4;
    const rope =
      Array.isArray(listed) && listed.length === layers
        ? listed.map(v => v !== 0)
        : Array.from({length: layers}, (_, i) => (i + 1) % interval !== 0);
    const chunk = r.optInt('attention_chunk_size');
    const kinds = rope.map((withRope): LayerKind => (withRope && chunk !== undefined ? 'chunked' : 'full'));
    const mlp =
      step === 1 ? undefined : Array.from({length: layers}, (_, i): MlpKind => (isMoe(i) ? 'moe' : 'dense'));
    return {
      fields: {...base, ...llamaBiases(r, warn), dFf: r.optInt('intermediate_size_mlp') ?? expertDim, moe},
      layers: {kinds, chunk, ...(mlp === undefined ? {} : {mlp})},
    };
  },
};

const nemotronH: Family = {
  modelTypes: ['nemotron_h'],
  architectures: ['NemotronHForCausalLM'],
  map(r) {
    // configuration_nemotron_h.py: hybrid_override_pattern has one character per block — M a
    // Mamba-2 mixer, * attention, - an MLP (squared ReLU). attncap's layer is a mixer and the MLP
    // block that follows it (if any), so 52 blocks M-…*- become 28 layers of which 24 have an FFN.
    const dModel = r.int('hidden_size', 'the model width');
    const heads = r.int('num_attention_heads', 'query heads');
    const blocks = r.int('num_hidden_layers', 'the number of blocks');
    const pattern = r.str('hybrid_override_pattern') ?? '';
    const kinds: LayerKind[] = [];
    const mlp: MlpKind[] = [];
    let invalid = pattern.length !== blocks;
    for (const c of pattern) {
      if (c === 'M' || c === '*') {
        kinds.push(c === 'M' ? 'mamba2' : 'full');
        mlp.push('none');
      } else if (c === '-' && mlp.length > 0 && mlp[mlp.length - 1] === 'none') mlp[mlp.length - 1] = 'dense';
      else invalid = true;
    }
    if (invalid || kinds.length === 0)
      r.problems.push({
        path: [...r.at, 'hybrid_override_pattern'],
        message: `expected one of M (Mamba-2), * (attention) and - (an MLP after a mixer) per block, num_hidden_layers (${blocks}) in all`,
      });
    const act = r.str('mlp_hidden_act') ?? 'relu2';
    return {
      fields: {
        id: '',
        name: '',
        sources: [],
        architecture: 'transformer',
        dModel,
        heads,
        kvHeads: r.optInt('num_key_value_heads') ?? heads,
        headDim: r.optInt('attention_head_dim') ?? r.optInt('head_dim') ?? Math.floor(dModel / heads),
        layers: Math.max(1, kinds.length),
        dFf: r.int('intermediate_size', 'the MLP width'),
        ffn: act.startsWith('relu') ? 'relu' : 'gelu',
        vocab: r.int('vocab_size', 'the vocabulary size'),
        contextLength: r.optInt('max_position_embeddings'),
        causal: true,
        tiedEmbeddings: r.bool('tie_word_embeddings', false),
        norm: 'rmsnorm',
        linearBias: false,
        mamba2: {
          state: r.int('ssm_state_size', 'the SSM state size'),
          headDim: r.int('mamba_head_dim', 'channels per SSM head'),
          heads: r.int('mamba_num_heads', 'SSM heads'),
          expand: r.optInt('expand') ?? 2,
          conv: r.optInt('conv_kernel') ?? 4,
          groups: r.optInt('n_groups') ?? 1,
          chunk: r.optInt('chunk_size') ?? 256,
        },
      },
      layers: {kinds, mlp},
    };
  },
};

/**
 * The Mamba-1 mixer's `ssm` block (attncap's `mamba` kind: mamba_simple.py's layer). d_inner is
 * `intermediate` when the config states it — MambaConfig passes a stated intermediate_size through
 * unchanged, and FalconMamba's configs state expand 16 beside the checkpoint's 8,192 = 2·4,096 —
 * else expand·hidden_size; attncap's block is a whole multiple of the width. The dt rank "auto"
 * (or absent) is ⌈hidden_size / 16⌉, attncap's default.
 */
function mambaSsm(
  r: Reader,
  dModel: number,
  keys: {state: string; conv: string; expand: string; dtRank: string; intermediate?: string},
): NonNullable<ModelPresetInput['ssm']> {
  const stated = keys.intermediate === undefined ? undefined : r.optInt(keys.intermediate);
  const inner = stated ?? (r.optInt(keys.expand) ?? 2) * dModel;
  if (inner % dModel !== 0)
    r.problem(
      keys.intermediate ?? keys.expand,
      `expected a whole multiple of hidden_size (${dModel}): attncap's Mamba block is expand × hidden_size wide`,
    );
  const rank = r.raw(keys.dtRank) === 'auto' ? undefined : r.optInt(keys.dtRank);
  return {
    state: r.optInt(keys.state) ?? 16,
    expand: Math.max(1, Math.round(inner / dModel)),
    conv: r.optInt(keys.conv) ?? 4,
    ...(rank === undefined ? {} : {dtRank: rank}),
  };
}

/** The Mamba-1 biases attncap does not count as configured: in/out projection biases, no conv bias. */
function warnMambaBiases(
  r: Reader,
  warn: (key: string, message: string) => void,
  keys: {proj: string; conv: string},
  projDefault: boolean,
): void {
  if (r.bool(keys.proj, projDefault))
    warn(keys.proj, 'puts biases on the Mamba in/out projections; attncap does not count them');
  if (!r.bool(keys.conv, true))
    warn(keys.conv, 'false drops the Mamba conv1d bias; attncap counts it (d_inner weights a layer)');
}

const mamba: Family = {
  modelTypes: ['mamba', 'falcon_mamba'],
  architectures: ['MambaForCausalLM', 'FalconMambaForCausalLM'],
  map(r, warn) {
    // configuration_mamba.py / modeling_mamba.py (MambaMixer): in_proj d → 2·d_inner (bias
    // use_bias, MambaConfig's default true, FalconMamba's false), conv1d (bias use_conv_bias),
    // x_proj d_inner → dt_rank + 2·state_size, dt_proj with bias, A_log, D, out_proj; an RMSNorm
    // per block and at the end; tied embeddings unless the config says otherwise. FalconMamba's
    // RMS norms of B, C and Δ carry no weights (mixer_rms_eps only): not counted.
    const dModel = r.int('hidden_size', 'the model width');
    const ssm = mambaSsm(r, dModel, {
      state: 'state_size',
      conv: 'conv_kernel',
      expand: 'expand',
      dtRank: 'time_step_rank',
      intermediate: 'intermediate_size',
    });
    warnMambaBiases(r, warn, {proj: 'use_bias', conv: 'use_conv_bias'}, r.family === 'mamba');
    return {
      fields: {
        id: '',
        name: '',
        sources: [],
        architecture: 'mamba',
        dModel,
        layers: r.int('num_hidden_layers', 'the number of layers'),
        vocab: r.int('vocab_size', 'the vocabulary size'),
        causal: true,
        tiedEmbeddings: r.bool('tie_word_embeddings', true),
        ssm,
      },
    };
  },
};

const mamba2: Family = {
  modelTypes: ['mamba2'],
  architectures: ['Mamba2ForCausalLM'],
  map(r, warn) {
    // configuration_mamba2.py / modeling_mamba2.py (Mamba2Mixer): in_proj d → d_inner + conv_dim +
    // num_heads with conv_dim = d_inner + 2·n_groups·state_size (bias use_bias, default false),
    // conv1d over conv_dim (bias use_conv_bias), dt_bias, A_log and D per head, the gated RMSNorm
    // over d_inner, out_proj; d_inner = num_heads × head_dim. Every layer is the mixer alone
    // (mlp none: one RMSNorm); untied embeddings by default (Mamba2Config).
    const dModel = r.int('hidden_size', 'the model width');
    if (r.bool('use_bias', false))
      warn('use_bias', 'puts biases on the Mamba-2 in/out projections; attncap does not count them');
    if (!r.bool('use_conv_bias', true))
      warn('use_conv_bias', 'false drops the Mamba-2 conv1d bias; attncap counts it');
    if (!r.bool('rms_norm', true))
      warn('rms_norm', 'false drops the gated RMSNorm (d_inner weights a layer); attncap counts it');
    const layers = r.int('num_hidden_layers', 'the number of layers');
    return {
      fields: {
        id: '',
        name: '',
        sources: [],
        architecture: 'transformer',
        dModel,
        layers,
        vocab: r.int('vocab_size', 'the vocabulary size'),
        contextLength: r.optInt('max_position_embeddings'),
        causal: true,
        tiedEmbeddings: r.bool('tie_word_embeddings', false),
        norm: 'rmsnorm',
        linearBias: false,
        mamba2: {
          state: r.optInt('state_size') ?? 128,
          headDim: r.optInt('head_dim') ?? 64,
          heads: r.optInt('num_heads') ?? 128,
          expand: r.optInt('expand') ?? 2,
          conv: r.optInt('conv_kernel') ?? 4,
          groups: r.optInt('n_groups') ?? 1,
          chunk: r.optInt('chunk_size') ?? 256,
        },
      },
      layers: {
        kinds: new Array<LayerKind>(layers).fill('mamba2'),
        mlp: new Array<MlpKind>(layers).fill('none'),
      },
    };
  },
};

const jamba: Family = {
  modelTypes: ['jamba'],
  architectures: ['JambaForCausalLM'],
  map(r, warn) {
    // configuration_jamba.py / modeling_jamba.py: layer i is attention when i % attn_layer_period
    // == attn_layer_offset (8, 4), else a Mamba-1 mixer (JambaMambaMixer: mamba_d_state,
    // mamba_d_conv, mamba_expand, mamba_dt_rank "auto" = ⌈hidden_size / 16⌉, in/out biases
    // mamba_proj_bias, conv bias mamba_conv_bias); its FFN is a JambaSparseMoeBlock of
    // num_experts SwiGLU experts of intermediate_size (num_experts_per_tok per token, a softmax
    // router without bias) when i % expert_layer_period == expert_layer_offset (2, 1) and
    // num_experts > 1, else a dense SwiGLU MLP of intermediate_size. Attention: GQA without
    // biases and without positions. The mixer's dt/B/C RMSNorms (dt_rank + 2·state weights) are
    // not counted (< 0.001 %).
    const base = decoderFields(r, {tied: false, act: 'silu'});
    const layers = base.layers;
    const attnPeriod = r.optInt('attn_layer_period') ?? 8;
    const attnOffset = r.optIndex('attn_layer_offset') ?? 4;
    const expertPeriod = r.optInt('expert_layer_period') ?? 2;
    const expertOffset = r.optIndex('expert_layer_offset') ?? 1;
    const experts = r.optInt('num_experts') ?? 16;
    // JambaConfig._check_supported_offset refuses an offset at or past its period.
    for (const [what, period, offset] of [
      ['attn', attnPeriod, attnOffset],
      ['expert', expertPeriod, expertOffset],
    ] as const)
      if (offset >= period)
        r.problem(`${what}_layer_offset`, `expected a value below ${what}_layer_period (${period})`);
    const ssm = mambaSsm(r, base.dModel, {
      state: 'mamba_d_state',
      conv: 'mamba_d_conv',
      expand: 'mamba_expand',
      dtRank: 'mamba_dt_rank',
    });
    warnMambaBiases(r, warn, {proj: 'mamba_proj_bias', conv: 'mamba_conv_bias'}, false);
    const window = r.optInt('sliding_window');
    const kinds = Array.from(
      {length: layers},
      (_, i): LayerKind =>
        i % attnPeriod !== attnOffset ? 'mamba' : window === undefined ? 'full' : 'sliding',
    );
    const moe =
      experts > 1
        ? {
            experts,
            active: r.optInt('num_experts_per_tok') ?? 2,
            expertDim: base.dFf ?? 1,
          }
        : undefined;
    const mlp =
      moe === undefined
        ? undefined
        : Array.from(
            {length: layers},
            (_, i): MlpKind => (i % expertPeriod === expertOffset ? 'moe' : 'dense'),
          );
    return {
      fields: {...base, ssm, ...(moe === undefined ? {} : {moe})},
      layers: {kinds, window, ...(mlp === undefined ? {} : {mlp})},
    };
  },
};

/**
 * The Mamba-2 block of the hybrids that name it `mamba_*` (Bamba, Granite 4.0-H: BambaMixer and
 * GraniteMoeHybridMambaLayer are Mamba2Mixer): mamba_n_heads (128), mamba_d_head ("auto" =
 * mamba_expand × hidden_size / heads), mamba_n_groups (1), mamba_d_state (256), mamba_d_conv (4),
 * mamba_expand (2), mamba_chunk_size (256); the biases as for Jamba.
 */
function hybridMamba2(
  r: Reader,
  dModel: number,
  warn: (key: string, message: string) => void,
): NonNullable<ModelPresetInput['mamba2']> {
  const heads = r.optInt('mamba_n_heads') ?? 128;
  const expand = r.optInt('mamba_expand') ?? 2;
  const headDim = r.raw('mamba_d_head') === 'auto' ? undefined : r.optInt('mamba_d_head');
  warnMambaBiases(r, warn, {proj: 'mamba_proj_bias', conv: 'mamba_conv_bias'}, false);
  return {
    state: r.optInt('mamba_d_state') ?? 256,
    headDim: headDim ?? Math.max(1, Math.floor((expand * dModel) / heads)),
    heads,
    expand,
    conv: r.optInt('mamba_d_conv') ?? 4,
    groups: r.optInt('mamba_n_groups') ?? 1,
    chunk: r.optInt('mamba_chunk_size') ?? 256,
  };
}

const bamba: Family = {
  modelTypes: ['bamba'],
  architectures: ['BambaForCausalLM'],
  map(r, warn) {
    // configuration_bamba.py / modeling_bamba.py: a Llama decoder (GQA, no biases, SwiGLU of
    // intermediate_size after every mixer) whose mixer is attention at attn_layer_indices and a
    // Mamba-2 mixer (BambaMixer) elsewhere; untied embeddings by default. Its partial rotary
    // embedding changes no cost.
    const base = {...decoderFields(r, {tied: false, act: 'silu'}), ...llamaBiases(r, warn)};
    const listed = r.raw('attn_layer_indices');
    const indices = Array.isArray(listed) ? listed : [];
    if (
      listed !== undefined &&
      (!Array.isArray(listed) || listed.some(i => !Number.isInteger(i) || i < 0 || i >= base.layers))
    )
      r.problem(
        'attn_layer_indices',
        `expected a list of layer indices below num_hidden_layers (${base.layers})`,
      );
    const kinds = Array.from(
      {length: base.layers},
      (_, i): LayerKind => (indices.includes(i) ? 'full' : 'mamba2'),
    );
    const mamba2 = kinds.includes('mamba2') ? {mamba2: hybridMamba2(r, base.dModel, warn)} : {};
    return {fields: {...base, ...mamba2}, layers: {kinds}};
  },
};

const graniteMoeHybrid: Family = {
  modelTypes: ['granitemoehybrid'],
  architectures: ['GraniteMoeHybridForCausalLM'],
  map(r, warn) {
    // configuration_granitemoehybrid.py / modeling_granitemoehybrid.py: layer_types ("mamba" /
    // "attention"; absent: every layer Mamba-2) pick each layer's mixer; every layer then has a
    // shared SwiGLU MLP of shared_intermediate_size and, with num_local_experts > 0, beside it a
    // MoE of num_local_experts SwiGLU experts of intermediate_size (num_experts_per_tok per token,
    // a softmax router without bias) — attncap's MoE with one shared expert. Granite's
    // multipliers scale activations (not counted); position_embedding_type "nope" has no weights.
    const base = {...decoderFields(r, {tied: false, act: 'silu'}), ...llamaBiases(r, warn)};
    const sharedDim = r.optInt('shared_intermediate_size') ?? 1024;
    const experts = r.raw('num_local_experts') === 0 ? 0 : (r.optInt('num_local_experts') ?? 8);
    const moe =
      experts > 0
        ? {
            experts,
            active: r.optInt('num_experts_per_tok') ?? 2,
            expertDim: base.dFf ?? 1,
            shared: 1,
            sharedDim,
          }
        : undefined;
    const kinds =
      layerTypes(r, base.layers, {mamba: 'mamba2', attention: 'full'}) ??
      new Array<LayerKind>(base.layers).fill('mamba2');
    return {
      fields: {
        ...base,
        dFf: moe === undefined ? sharedDim : base.dFf,
        ...(kinds.includes('mamba2') ? {mamba2: hybridMamba2(r, base.dModel, warn)} : {}),
        ...(moe === undefined ? {} : {moe}),
      },
      layers: {kinds},
    };
  },
};

/**
 * The decoders with LayerNorm, a plain (ungated) GELU MLP and biases (Phi-2, Pythia, StarCoder2):
 * every projection carries a bias unless `bias` says otherwise; rotary positions (no weights).
 */
function layerNormDecoder(r: Reader, fields: {act: string; tied: boolean; bias: boolean}): ModelPresetInput {
  const dModel = r.int('hidden_size', 'the model width');
  const heads = r.int('num_attention_heads', 'query heads');
  const act = r.str('hidden_act') ?? fields.act;
  return {
    id: '',
    name: '',
    sources: [],
    architecture: 'transformer',
    dModel,
    heads,
    kvHeads: r.optInt('num_key_value_heads') ?? heads,
    headDim: r.optInt('head_dim') ?? Math.floor(dModel / heads),
    layers: r.int('num_hidden_layers', 'the number of layers'),
    dFf: r.int('intermediate_size', 'the MLP width'),
    ffn: act === 'relu' ? 'relu' : 'gelu',
    vocab: r.int('vocab_size', 'the vocabulary size'),
    contextLength: r.optInt('max_position_embeddings'),
    causal: true,
    tiedEmbeddings: r.bool('tie_word_embeddings', fields.tied),
    norm: 'layernorm',
    linearBias: fields.bias,
  };
}

const phi: Family = {
  modelTypes: ['phi'],
  architectures: ['PhiForCausalLM'],
  map(r, warn) {
    // configuration_phi.py / modeling_phi.py (Phi-1, 1.5, 2): q/k/v/dense and fc1/fc2 with biases,
    // a GELU (gelu_new) MLP, one LayerNorm before the parallel attention and MLP (attncap counts
    // two: 2·d weights a layer, 0.006 % of Phi-2), an LM head with a bias (vocab weights, not
    // counted), untied. partial_rotary_factor changes no cost.
    const fields = layerNormDecoder(r, {act: 'gelu_new', tied: false, bias: true});
    warnIfSet(
      r,
      warn,
      'qk_layernorm',
      'adds LayerNorms over each query and key head; attncap does not count them',
    );
    return {fields};
  },
};

const gptNeox: Family = {
  modelTypes: ['gpt_neox'],
  architectures: ['GPTNeoXForCausalLM'],
  map(r, warn) {
    // configuration_gpt_neox.py / modeling_gpt_neox.py (Pythia, GPT-NeoX-20B): a fused
    // query_key_value and dense with bias=attention_bias (default true), dense_h_to_4h and
    // dense_4h_to_h with biases, a GELU MLP, two LayerNorms a layer, untied embed_in / embed_out.
    // use_parallel_residual (attention and MLP from the same input) and rotary_pct change no cost.
    const attentionBias = r.bool('attention_bias', true);
    const fields = layerNormDecoder(r, {act: 'gelu', tied: false, bias: attentionBias});
    if (!attentionBias)
      warn(
        'attention_bias',
        'false drops the attention biases but keeps the MLP biases; attncap counts neither',
      );
    return {fields};
  },
};

const starcoder2: Family = {
  modelTypes: ['starcoder2'],
  architectures: ['Starcoder2ForCausalLM'],
  map(r) {
    // configuration_starcoder2.py / modeling_starcoder2.py: q/k/v/o and c_fc/c_proj with
    // bias=use_bias (default true), a GELU (gelu_pytorch_tanh) MLP, two LayerNorms a layer, GQA,
    // tied embeddings by default; sliding_window (default 4,096) on every layer.
    const fields = layerNormDecoder(r, {
      act: 'gelu_pytorch_tanh',
      tied: true,
      bias: r.bool('use_bias', true),
    });
    const window = windowOr(r, 4096);
    return {
      fields,
      layers:
        window === undefined
          ? undefined
          : {kinds: new Array<LayerKind>(fields.layers).fill('sliding'), window},
    };
  },
};

const FAMILIES: readonly Family[] = [
  phi,
  gptNeox,
  starcoder2,
  bamba,
  graniteMoeHybrid,
  mamba,
  mamba2,
  jamba,
  qwen3Next,
  llama4,
  nemotronH,
  llama,
  olmo,
  smollm3,
  granite,
  cohere2,
  exaone4,
  mixtral,
  qwen2,
  qwen3,
  qwenMoe,
  phi3,
  gemma,
  deepseek,
  glm4Moe,
  ernie45,
  gptOss,
  gpt2,
  bert,
];

/**
 * Multimodal wrappers whose language model sits under `text_config` and is of the family its
 * `model_type` names, with the wrapper's default when the key is absent (configuration_mistral3.py:
 * text_config defaults to a MistralConfig; Mistral Small 3.x states "mistral", Ministral 3
 * "ministral3").
 */
const WRAPPERS: Readonly<Record<string, string>> = {mistral3: 'mistral'};

/** Every model_type the import reads, sorted (for errors and docs/import.md). */
export const HF_MODEL_TYPES: readonly string[] = [
  ...FAMILIES.flatMap(f => f.modelTypes),
  ...Object.keys(WRAPPERS),
].sort();

// ---- the import ---------------------------------------------------------------------------------

const DTYPES: Record<string, string> = {bfloat16: 'bf16', float16: 'fp16', float32: 'fp32'};

/**
 * The checkpoint's weight format: the quantisation method where the file names one (fp8, mxfp4;
 * GPTQ/AWQ as int<bits>), else torch_dtype (or `dtype`, its newer name).
 */
function weightFormat(top: Json, warn: (key: string, message: string) => void): string | undefined {
  const quant = top.quantization_config;
  if (quant !== null && typeof quant === 'object' && !Array.isArray(quant)) {
    const q = quant as Json;
    const method = typeof q.quant_method === 'string' ? q.quant_method : undefined;
    if (method === 'fp8' || method === 'mxfp4') return method;
    if ((method === 'gptq' || method === 'awq') && typeof q.bits === 'number') return `int${q.bits}`;
    if (method === 'bitsandbytes') return q.load_in_4bit === true ? 'nf4' : 'int8';
    warn(
      'quantization_config.quant_method',
      'is not a method attncap recognises (fp8, mxfp4, gptq, awq, bitsandbytes); weightFormat records torch_dtype instead',
    );
  }
  const dtype = top.torch_dtype ?? top.dtype;
  return typeof dtype === 'string' ? DTYPES[dtype] : undefined;
}

/** A preset id from a name: lowercase letters, digits, dots and dashes. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
}

/** `_name_or_path`'s last part, else the folder of a config.json, else the file's name. */
function defaultId(top: Json, label: string, modelType: string): string {
  const named = typeof top._name_or_path === 'string' ? top._name_or_path.split('/').pop() : undefined;
  const parts = label.split(/[\\/]/).filter(Boolean);
  const file = parts.pop() ?? '';
  const stem = file.replace(/\.json$/i, '');
  const fromPath = stem.toLowerCase() === 'config' ? parts.pop() : stem;
  for (const candidate of [named, fromPath, modelType]) {
    const id = candidate === undefined ? '' : slug(candidate);
    if (id !== '') return id;
  }
  return 'imported';
}

type PlanEntry = {
  repeat: number;
  kind?: 'mamba' | 'mamba2' | 'gated-deltanet';
  name?: string;
  variant?: string;
  sinks?: boolean;
  mlp?: MlpKind;
};

/** Consecutive equal entries as one entry with a repeat. */
function runs(entries: readonly Omit<PlanEntry, 'repeat'>[]): PlanEntry[] {
  const out: PlanEntry[] = [];
  let lastKey = '';
  for (const entry of entries) {
    const key = JSON.stringify(entry);
    const last = out[out.length - 1];
    if (last !== undefined && key === lastKey) last.repeat++;
    else out.push({repeat: 1, ...entry});
    lastKey = key;
  }
  return out;
}

/**
 * The layer plan of the stack (docs/layer-plans.md): every layer alike → the model's `variant`;
 * a period repeated at least twice → a `pattern` (Gemma 3: 5 local : 1 global, cycled over 62
 * layers); otherwise the `schedule` of runs. Local and global attention layers are named `local`
 * and `global` (the names a --variant selector addresses) when a model has both.
 */
function planOf(layers: Layers | undefined, contextLength: number | undefined): Partial<ModelPresetInput> {
  if (layers === undefined) return {variant: 'standard'};
  // A window at least the trained context never drops a key: plain attention (Qwen2 configs state 131072).
  const noWindow =
    layers.window === undefined || (contextLength !== undefined && layers.window >= contextLength);
  const kinds = layers.kinds.map(kind => (kind === 'sliding' && noWindow ? 'full' : kind));
  const local = kinds.some(k => k === 'sliding' || k === 'chunked') && kinds.includes('full');
  const entries = kinds.map((kind, i): Omit<PlanEntry, 'repeat'> => {
    const mlp = layers.mlp?.[i];
    const tail = mlp === undefined ? {} : {mlp};
    if (kind === 'linear') return {kind: 'gated-deltanet', ...tail};
    if (kind === 'mamba' || kind === 'mamba2') return {kind, ...tail};
    const variant =
      kind === 'sliding'
        ? `window:w=${layers.window}`
        : kind === 'chunked'
          ? `chunked:chunk=${layers.chunk}`
          : undefined;
    return {
      ...(local ? {name: kind === 'full' ? 'global' : 'local'} : {}),
      ...(variant === undefined ? {} : {variant}),
      ...(layers.sinks ? {sinks: true} : {}),
      ...tail,
    };
  });
  const keys = entries.map(e => JSON.stringify(e));
  const n = keys.length;
  if (keys.every(k => k === keys[0])) {
    const only = entries[0] ?? {};
    const keysOf = Object.keys(only);
    if (keysOf.length === 0) return {variant: 'standard'};
    if (keysOf.length === 1 && only.variant !== undefined) return {variant: only.variant};
    return {pattern: [{repeat: 1, ...only}]};
  }
  for (let period = 2; 2 * period <= n; period++) {
    if (keys.every((k, i) => k === keys[i % period])) return {pattern: runs(entries.slice(0, period))};
  }
  return {schedule: runs(entries)};
}

function shortValue(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** The family of a config, by model_type, else by its architectures' class names. */
function familyOf(top: Json, label: string): {family: Family; modelType: string} {
  const modelType = typeof top.model_type === 'string' ? top.model_type : undefined;
  const supported = `supported: ${HF_MODEL_TYPES.join(', ')}`;
  if (modelType !== undefined) {
    if (WRAPPERS[modelType] !== undefined) {
      const inner = textType(top, modelType);
      const family = FAMILIES.find(f => f.modelTypes.includes(inner));
      if (family !== undefined) return {family, modelType};
      throw new InvalidInputError(
        `${label}: text_config.model_type: ${shortValue(inner)} is not a model type attncap imports; ${supported}`,
        {path: ['text_config', 'model_type'], hint: IMPORT_HINT},
      );
    }
    const family = FAMILIES.find(f => f.modelTypes.includes(modelType));
    if (family !== undefined) return {family, modelType};
    throw new InvalidInputError(
      `${label}: model_type: ${shortValue(modelType)} is not a model type attncap imports; ${supported}`,
      {path: ['model_type'], hint: IMPORT_HINT},
    );
  }
  const classes = (top.architectures as unknown[]).filter((c): c is string => typeof c === 'string');
  for (const name of classes) {
    const family = FAMILIES.find(f => f.architectures.includes(name));
    if (family !== undefined)
      return {
        family,
        modelType: family.modelTypes[family.architectures.indexOf(name)] ?? family.modelTypes[0],
      };
  }
  throw new InvalidInputError(
    `${label}: model_type: missing, and architectures names no class attncap imports; ${supported}`,
    {path: ['model_type'], hint: IMPORT_HINT},
  );
}

/**
 * A Hugging Face config (parsed JSON) as a model preset and the warnings of what it leaves out.
 * Throws InvalidInputError naming the file and field for unsupported model types and missing or
 * malformed required fields (all of them at once).
 */
export function importHfConfig(data: Json, options: HfImportOptions): HfImport {
  const {label} = options;
  const {family, modelType} = familyOf(data, label);
  // Multimodal wrappers (Gemma 3) keep the language model under text_config.
  const nested =
    data.text_config !== null && typeof data.text_config === 'object' && !Array.isArray(data.text_config);
  const r = new Reader(
    nested ? (data.text_config as Json) : data,
    nested ? ['text_config'] : [],
    textType(data, modelType),
  );
  const warnings: string[] = [];
  const warn = (key: string, message: string) => warnings.push(`${label}: ${r.path(key)}: ${message}`);
  const topWarn = (key: string, message: string) => warnings.push(`${label}: ${key}: ${message}`);
  const mapped = family.map(r, warn);
  if (r.problems.length > 0) throw problemsError(label, r.problems, {hint: IMPORT_HINT});
  if (data.vision_config !== undefined && data.vision_config !== null)
    topWarn('vision_config', 'the vision tower is not counted; attncap models the text decoder');
  const format = weightFormat(data, topWarn);
  const id = options.id ?? defaultId(data, label, modelType);
  const fileName = label.split(/[\\/]/).pop() ?? label;
  const fields = mapped.fields;
  const preset: ModelPresetInput = {
    ...fields,
    id,
    name: typeof data._name_or_path === 'string' ? data._name_or_path : `${id} (${modelType}, imported)`,
    ...planOf(mapped.layers, fields.contextLength),
    ...(format === undefined ? {} : {weightFormat: format}),
    sources: [
      {
        title: `Hugging Face config.json (${fileName})`,
        note: `Imported by attncap from ${label} (model_type ${modelType}); field mapping: docs/import.md.`,
      },
    ],
  };
  return {preset, warnings};
}

/**
 * The model_type that decides family details (Gemma 3's text part is gemma3_text; a Mistral 3
 * wrapper's is its text_config's, by default mistral).
 */
function textType(data: Json, modelType: string): string {
  const text = data.text_config as Json | undefined;
  if (text !== undefined && typeof text?.model_type === 'string') return text.model_type;
  return WRAPPERS[modelType] ?? modelType;
}
