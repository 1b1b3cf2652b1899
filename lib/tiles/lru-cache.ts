/** A least-recently-used cache bounded by the total byte size of its values. */
export class ByteLruCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private totalBytes = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
    private readonly onEvict?: (key: string, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Read without marking the entry recently used. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Store a value; one larger than the whole cache is not stored. Evicts least recently used entries to fit. */
  set(key: string, value: V): boolean {
    const size = this.sizeOf(value);
    this.delete(key);
    if (size > this.maxBytes) return false;
    this.entries.set(key, { value, size });
    this.totalBytes += size;
    while (this.totalBytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return true;
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.totalBytes -= entry.size;
    this.onEvict?.(key, entry.value);
    return true;
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}
