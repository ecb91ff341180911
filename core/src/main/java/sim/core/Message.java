package sim.core;

/**
 * Marker for what nodes send each other. Each model declares a sealed interface extending this, with one
 * record per message. A message's {@code toString} goes into the trace and its hash, so it must be
 * deterministic: no arrays (their toString shows an identity hash) unless the record overrides it.
 */
public interface Message {
  /** Bytes this message would take on the wire; used for bandwidth-style latency only. */
  default int sizeBytes() {
    return 64;
  }
}
