package sim.redis.host;

import java.util.List;

/**
 * The server's data directory ({@code dir}), with the page-cache semantics of a real file system: writes
 * are durable only after {@link #fsync}. In the simulation this is the node's SimDisk (see SimDiskFiles);
 * the TCP adapter backs it with a real directory.
 */
public interface RedisFiles {
  boolean exists(String name);

  long size(String name);

  byte[] readAll(String name);

  /** Creates or truncates to empty. */
  void create(String name);

  void append(String name, byte[] data, int from, int count);

  default void append(String name, byte[] data) {
    append(name, data, 0, data.length);
  }

  void fsync(String name);

  void truncate(String name, long size);

  /** Atomic rename(2), replacing {@code to}. */
  void rename(String from, String to);

  void delete(String name);

  /** Names starting with {@code prefix}, sorted. */
  List<String> list(String prefix);
}
