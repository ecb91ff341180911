package sim.redis.host;

import java.util.List;
import java.util.function.Consumer;

/**
 * The two ways Redis waits for fsync(2), handed to the host so that fsync latency, errors and crash loss
 * apply to them (the simulation routes both through the kernel's durability door).
 */
public interface Durability {
  /**
   * The main thread calls fsync and blocks in it ({@code appendfsync always}, SAVE): nothing else runs and no
   * reply of this event-loop iteration leaves until it returns. {@code then} runs on return with null, or
   * with the error text when the fsync failed.
   */
  void fsyncInMainThread(List<String> files, Consumer<String> then);

  /**
   * Only for the {@code redis.always-acks-before-fsync} lesson: the main thread sends this iteration's replies,
   * then blocks in the fsync. Real Redis never does this.
   */
  default void fsyncInMainThreadAfterReplies(List<String> files, Consumer<String> then) {
    fsyncInMainThread(files, then);
  }

  /**
   * A bio thread calls fsync ({@code aof_background_fsync}, everysec) while the main thread runs on;
   * {@code then} runs on the main thread when it returns, with null or the error text.
   */
  void fsyncInBackground(String file, Consumer<String> then);

  /** The host's fsync, synchronous: what the TCP edge and in-process tests use. */
  static Durability synchronous(RedisFiles files) {
    return new Durability() {
      @Override
      public void fsyncInMainThread(List<String> names, Consumer<String> then) {
        then.accept(fsyncAll(files, names));
      }

      @Override
      public void fsyncInBackground(String file, Consumer<String> then) {
        then.accept(fsyncAll(files, List.of(file)));
      }
    };
  }

  private static String fsyncAll(RedisFiles files, List<String> names) {
    try {
      for (String f : names) if (files.exists(f)) files.fsync(f);
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
