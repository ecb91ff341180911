package sim.core.disk;

/** An I/O error the simulated disk reports: EIO, ENOSPC, a missing file. Models must handle it like the real one. */
public final class SimIOException extends RuntimeException {
  private final String errno;

  public SimIOException(String errno, String message) {
    super(errno + ": " + message);
    this.errno = errno;
  }

  /** "EIO", "ENOSPC", "ENOENT". */
  public String errno() {
    return errno;
  }
}
