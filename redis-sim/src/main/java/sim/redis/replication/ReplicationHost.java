package sim.redis.replication;

import java.util.List;
import sim.redis.command.Dispatcher;
import sim.redis.config.RedisConfig;
import sim.redis.host.RedisEnv;

/** What replication needs from its server: settings, clock and trace, dispatch, and the RDB writer and loader. */
public interface ReplicationHost {
  RedisConfig config();

  RedisEnv env();

  Dispatcher dispatcher();

  /** rdbSaveRio of the dataset as it is now (the fork of a full resync, done eagerly). */
  byte[] rdbForReplication();

  /** readSyncBulkPayload: empty the dataset and load the master's RDB (keys already expired are kept). */
  void loadReplicationRdb(byte[] payload);

  /** Sends a command to the master at host:port over the replication link ({@code id} names the request). */
  void sendToMaster(String host, int port, long id, List<String> argv);
}
