package sim.kafka.broker;

import sim.kafka.record.BatchHeader;
import sim.kafka.record.RecordBatches;

/**
 * Record batches on the wire (produce and fetch carry RecordBatch v2 bytes, as in Kafka). Prints a summary so
 * traces stay deterministic and readable. Treated as immutable once sent.
 */
public final class Records {
  public static final Records EMPTY = new Records(new byte[0]);
  private final byte[] bytes;

  public Records(byte[] bytes) {
    this.bytes = bytes;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int sizeInBytes() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** The last offset of the last batch (the bytes are whole, valid batches). */
  public long lastOffset() {
    long last = -1;
    for (int pos = 0; pos + RecordBatches.RECORD_BATCH_OVERHEAD <= bytes.length; ) {
      BatchHeader h = RecordBatches.header(bytes, pos);
      if (h.sizeInBytes() <= 0) break;
      last = h.lastOffset();
      pos += h.sizeInBytes();
    }
    return last;
  }

  @Override
  public String toString() {
    if (bytes.length == 0) return "no records";
    if (bytes.length < RecordBatches.RECORD_BATCH_OVERHEAD) return bytes.length + "B";
    BatchHeader first = RecordBatches.header(bytes, 0);
    int batches = 0;
    long last = first.lastOffset();
    int pos = 0;
    while (pos + RecordBatches.RECORD_BATCH_OVERHEAD <= bytes.length) {
      BatchHeader h = RecordBatches.header(bytes, pos);
      if (h.sizeInBytes() <= 0) break;
      batches++;
      last = h.lastOffset();
      pos += h.sizeInBytes();
    }
    return batches + (batches == 1 ? " batch" : " batches") + " offsets " + first.baseOffset() + ".." + last + " (" + bytes.length + "B)";
  }
}
