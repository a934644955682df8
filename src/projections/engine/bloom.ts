/** Two independent 32-bit FNV-1a style hashes of a string (different offsets and a final mix). */
const hashes = (key: string): [number, number] => {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i += 1) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  b ^= b >>> 15;
  b = Math.imul(b, 0x2c1b3c6d);
  return [a >>> 0, (b ^ (b >>> 13)) >>> 0];
};

/**
 * A fixed-size Bloom filter: "definitely never added" or "maybe added". A rebuild asks it whether a
 * document may already be in the shadow, so memory stays flat however many documents it writes.
 * Probes come from two hashes (Kirsch–Mitzenmacher), computed in JS: a crypto digest per id cost
 * more than the rest of a rebuild's bookkeeping.
 */
export const createBloomFilter = (bits = 1 << 24, probes = 7) => {
  const words = new Uint32Array(Math.ceil(bits / 32));
  const each = (key: string, visit: (bit: number) => boolean | void) => {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < probes; i += 1) {
      const bit = ((h1 + Math.imul(i, h2 | 1)) >>> 0) % bits;
      if (visit(bit) === false) return false;
    }
    return true;
  };
  return {
    add: (key: string) => void each(key, (bit) => void (words[bit >>> 5]! |= 1 << (bit & 31))),
    mightContain: (key: string) =>
      each(key, (bit) => (words[bit >>> 5]! & (1 << (bit & 31))) !== 0),
  };
};

export type BloomFilter = ReturnType<typeof createBloomFilter>;
