package sim.redis.command;

import java.util.function.Consumer;

/** What the persistence commands (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, FLUSHALL, SHUTDOWN) may ask of the server. */
public interface Persistence {
  boolean childActive();

  boolean rdbChildActive();

  boolean aofChildActive();

  /** rdbSave in the foreground (SAVE): {@code done} gets whether dump.rdb was written, fsynced and renamed. */
  void rdbSave(Consumer<Boolean> done);

  void bgsave();

  void scheduleBgsave();

  void bgrewriteaof();

  void scheduleAofRewrite();

  long lastSaveMs();

  /** FLUSHALL with save points configured also saves (an empty) RDB, as Redis does. */
  void afterFlushAll();

  /** prepareForShutdown; the host closes connections and exits afterwards. */
  void shutdown(boolean save, boolean nosave);
}
