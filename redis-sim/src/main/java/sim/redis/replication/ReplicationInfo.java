package sim.redis.replication;

/** INFO replication as Redis 7.0's genRedisInfoString prints it, for a master and for a replica. */
final class ReplicationInfo {
  private final Replication r;
  private StringBuilder sb;

  ReplicationInfo(Replication r) {
    this.r = r;
  }

  void render(StringBuilder out) {
    sb = out;
    sb.append("# Replication\r\n");
    long now = r.host.env().nowMs();
    ReplicaSide rs = r.replica;
    if (rs == null) {
      line("role", "master");
    } else {
      boolean up = rs.state == ReplicaSide.State.CONNECTED;
      line("role", "slave");
      line("master_host", rs.masterHost);
      line("master_port", rs.masterPort);
      line("master_link_status", up ? "up" : "down");
      line("master_last_io_seconds_ago", up ? (now - rs.lastIoMs) / 1000 : -1);
      line("master_sync_in_progress", rs.state == ReplicaSide.State.TRANSFER ? 1 : 0);
      line("slave_read_repl_offset", up ? rs.readReplOffset : r.ids.masterReplOffset);
      line("slave_repl_offset", r.ids.masterReplOffset);
      if (!up) line("master_link_down_since_seconds", rs.fullSyncs + rs.partialSyncs == 0 ? -1 : (now - rs.linkDownSinceMs) / 1000);
      line("slave_priority", r.host.config().replicaPriority);
      line("slave_read_only", r.host.config().replicaReadOnly ? 1 : 0);
      line("replica_announced", 1);
    }
    line("connected_slaves", r.master.replicas.size());
    int i = 0;
    for (MasterSide.Replica rep : r.master.replicas) {
      line("slave" + i++, "ip=" + Replication.ip(rep.client) + ",port=" + rep.listeningPort + ",state=" + rep.state
          + ",offset=" + rep.ackOffset + ",lag=" + (now / 1000 - rep.ackTimeMs / 1000));
    }
    if (r.host.config().minReplicasToWrite > 0 && r.host.config().minReplicasMaxLag > 0) {
      line("min_slaves_good_slaves", r.master.goodReplicas);
    }
    line("master_failover_state", "no-failover");
    line("master_replid", r.ids.replid);
    line("master_replid2", r.ids.replid2);
    line("master_repl_offset", r.ids.masterReplOffset);
    line("second_repl_offset", r.ids.secondReplidOffset);
    Backlog b = r.ids.backlog;
    line("repl_backlog_active", b == null ? 0 : 1);
    line("repl_backlog_size", b == null ? r.host.config().replBacklogSize : b.size());
    line("repl_backlog_first_byte_offset", b == null ? 0 : b.offset());
    line("repl_backlog_histlen", b == null ? 0 : b.histlen());
  }

  private void line(String k, Object v) {
    sb.append(k).append(':').append(v).append("\r\n");
  }
}
