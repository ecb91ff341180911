package sim.kafka.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The aborted-transaction index (Kafka's {@code TransactionIndex}, the {@code %020d.txnindex} file next to each
 * segment): one 34-byte entry per aborted transaction, appended when its ABORT marker is, in the segment that holds
 * the marker: version int16 (0) | producerId int64 | firstOffset int64 | lastOffset int64 | lastStableOffset int64.
 * A read_committed fetch asks it which aborted transactions overlap what it returns, so the consumer can drop
 * their records without reading anything but the index.
 */
public final class TransactionIndex {
  public static final short VERSION = 0;
  public static final int ENTRY_SIZE = 34;

  /** One aborted transaction ({@code AbortedTxn}): its data from firstOffset, its marker at lastOffset. */
  public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {}

  /** The answer to a fetch (Kafka's {@code TxnIndexSearchResult} gathered over the segments). */
  public record FetchAborted(long producerId, long firstOffset) {}

  private final List<AbortedTxn> entries = new ArrayList<>();

  public void append(AbortedTxn txn) {
    if (!entries.isEmpty() && entries.get(entries.size() - 1).lastOffset() >= txn.lastOffset()) {
      throw new IllegalStateException("aborted transaction " + txn + " does not follow " + entries.get(entries.size() - 1));
    }
    entries.add(txn);
  }

  /** Drops the entries whose marker is at or after {@code offset} (a truncated log; Kafka's {@code truncateTo}). */
  public void truncateTo(long offset) {
    entries.removeIf(t -> t.lastOffset() >= offset);
  }

  public void clear() {
    entries.clear();
  }

  public List<AbortedTxn> all() {
    return List.copyOf(entries);
  }

  /**
   * The aborted transactions a fetch from {@code fetchOffset} up to {@code upperBoundOffset} (exclusive: the last
   * stable offset) must know of: those ending at or after the fetch offset and starting before the bound
   * ({@code collectAbortedTxns}).
   */
  public List<FetchAborted> collectAbortedTxns(long fetchOffset, long upperBoundOffset) {
    List<FetchAborted> out = new ArrayList<>();
    for (AbortedTxn t : entries) {
      if (t.lastOffset() >= fetchOffset && t.firstOffset() < upperBoundOffset) out.add(new FetchAborted(t.producerId(), t.firstOffset()));
    }
    return out;
  }

  /** The {@code .txnindex} file of the segment {@code [baseOffset, nextBaseOffset)}: its markers' entries. */
  public byte[] segmentFile(long baseOffset, long nextBaseOffset) {
    List<AbortedTxn> mine = new ArrayList<>();
    for (AbortedTxn t : entries) if (t.lastOffset() >= baseOffset && t.lastOffset() < nextBaseOffset) mine.add(t);
    ByteBuffer b = ByteBuffer.allocate(mine.size() * ENTRY_SIZE);
    for (AbortedTxn t : mine) b.putShort(VERSION).putLong(t.producerId()).putLong(t.firstOffset()).putLong(t.lastOffset()).putLong(t.lastStableOffset());
    return b.array();
  }

  /** Reads a {@code .txnindex} file; a trailing partial entry is ignored, as Kafka's iterator does. */
  public static List<AbortedTxn> parse(byte[] file) {
    List<AbortedTxn> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(file);
    while (b.remaining() >= ENTRY_SIZE) {
      short version = b.getShort();
      if (version != VERSION) throw new IllegalStateException("unexpected aborted transaction index version " + version);
      out.add(new AbortedTxn(b.getLong(), b.getLong(), b.getLong(), b.getLong()));
    }
    return out;
  }
}
