package sim.cassandra.sstable;

/** An SSTable component that does not parse: which file, at which byte, and what was wrong. */
public final class CorruptSSTableException extends RuntimeException {
  private final String file;
  private final long position;

  public CorruptSSTableException(String file, long position, String what) {
    super("Corrupted: " + file + " at byte " + position + ": " + what);
    this.file = file;
    this.position = position;
  }

  public String file() {
    return file;
  }

  public long position() {
    return position;
  }
}
