package sim.core.disk;

/** How the kernel hears about disk operations, to trace them. */
public interface DiskObserver {
  void onDiskOp(String kind, String detail);

  /** The same, with structured attributes (key, value pairs: file, offset, bytes) for the JSONL trace. */
  default void onDiskOp(String kind, String detail, Object... attributes) {
    onDiskOp(kind, detail);
  }

  DiskObserver NONE = (kind, detail) -> {};
}
