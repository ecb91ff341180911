package sim.core.disk;

/** How the kernel hears about disk operations, to trace them. */
public interface DiskObserver {
  void onDiskOp(String kind, String detail);

  DiskObserver NONE = (kind, detail) -> {};
}
