package sim.core;

import java.util.List;

/**
 * The durability door's bad news: an fsync the node asked for ({@link NodeContext#fsyncThen}) returned an
 * error, so the writes it covered may not be on disk. Handed to {@link Node#onFsyncFailed}; {@code done} is
 * the timer that would have run had it succeeded.
 */
public record FsyncFailed(List<String> files, String error, Timer done) {
  public FsyncFailed {
    files = List.copyOf(files);
  }
}
