package sim.redis.cluster;

import java.util.List;
import java.util.Locale;

/**
 * CLUSTER FAILOVER [FORCE|TAKEOVER] and its state on both ends (cluster.c's mf_end, mf_can_start, mf_slave,
 * mf_master_offset). The default form: the replica sends MFSTART to its master, which pauses its clients' writes
 * (for CLUSTER_MF_TIMEOUT * CLUSTER_MF_PAUSE_MULT) and pings the replica with the PAUSED flag and its offset, now
 * frozen; when the replica has processed exactly that offset, it starts an election at once, flagged FORCEACK so that
 * masters vote although its master is up. Nothing the master acknowledged is missing on the replica. FORCE skips the
 * offset handshake; TAKEOVER skips the election too (clusterBumpConfigEpochWithoutConsensus). Either side gives up at
 * mf_end, CLUSTER_MF_TIMEOUT after it started, and the master then lets its clients write again.
 */
final class ManualFailover {
  /** CLUSTER_MF_TIMEOUT: milliseconds to do a manual failover. */
  static final long MF_TIMEOUT_MS = 5000;
  /** CLUSTER_MF_PAUSE_MULT: the master pauses its clients for twice that. */
  static final int MF_PAUSE_MULT = 2;

  private final ClusterState state;
  private final ClusterBus bus;
  private long mfEndMs; // 0: no manual failover in progress
  private boolean mfCanStart;
  private String mfSlave; // on the master: the replica that asked
  private long mfMasterOffset = -1;
  private String mode = "default"; // for the trace only: Redis keeps no record of the form asked for

  ManualFailover(ClusterState state, ClusterBus bus) {
    this.state = state;
    this.bus = bus;
  }

  boolean inProgress() {
    return mfEndMs != 0;
  }

  /** manual_failover in clusterHandleSlaveFailover: in progress and allowed to start the election. */
  boolean canStart() {
    return mfEndMs != 0 && mfCanStart;
  }

  /** The form of CLUSTER FAILOVER in progress: default, force or takeover. */
  String mode() {
    return mode;
  }

  /** The master side: the replica it paused its clients for, or null. */
  String pausedFor() {
    return mfSlave;
  }

  /** clusterCommand's CLUSTER FAILOVER [FORCE|TAKEOVER] (argc 2 or 3); the whole RESP reply. */
  String command(List<String> argv) {
    boolean force = false;
    boolean takeover = false;
    if (argv.size() == 3) {
      String how = argv.get(2).toLowerCase(Locale.ROOT);
      if (how.equals("force")) {
        force = true;
      } else if (how.equals("takeover")) {
        takeover = true;
        force = true; // takeover also implies force
      } else {
        return "-ERR syntax error\r\n";
      }
    }
    NodeView me = state.me();
    NodeView master = state.node(me.slaveof);
    if (me.master) return "-ERR You should send CLUSTER FAILOVER to a replica\r\n";
    if (master == null) return "-ERR I'm a replica but my master is unknown to me\r\n";
    if (!force && (master.fail || master.linkDown)) return "-ERR Master is down or failed, please use CLUSTER FAILOVER FORCE\r\n";
    reset();
    mfEndMs = state.host.nowMs() + MF_TIMEOUT_MS;
    String how = takeover ? "takeover" : force ? "force" : "default";
    mode = how;
    if (takeover) {
      state.host.point("redis.cluster.mf-requested", "Taking over the master (user request).", "mode", how);
      state.bumpConfigEpochWithoutConsensus();
      bus.election.replaceMyMaster("takeover");
    } else if (force) {
      state.host.point("redis.cluster.mf-requested", "Forced failover user request accepted.", "mode", how);
      mfCanStart = true;
    } else {
      state.host.point("redis.cluster.mf-requested", "Manual failover user request accepted.", "mode", how);
      state.host.send(master.name, new ClusterMessage.MfStart(state.header()));
    }
    return "+OK\r\n";
  }

  /** CLUSTERMSG_TYPE_MFSTART: only a master, and only from one of its replicas. */
  void onMfStart(NodeView sender) {
    if (!state.me().master || !state.myself.equals(sender.slaveof)) return;
    reset();
    long now = state.host.nowMs();
    mfEndMs = now + MF_TIMEOUT_MS;
    mfSlave = sender.name;
    state.host.pauseWrites(now + MF_TIMEOUT_MS * MF_PAUSE_MULT);
    state.host.point("redis.cluster.mf-paused", "Manual failover requested by replica " + sender.name + ".", "replica", sender.name,
        "offset", state.host.replOffset());
    bus.sendPing(sender); // carries the offset at which the clients were paused: the replica may start at once
  }

  /** clusterProcessPacket: our master's first PAUSED header during our manual failover gives the offset to reach. */
  void onHeader(NodeView sender, ClusterMessage.Header h) {
    NodeView me = state.me();
    if (mfEndMs == 0 || me.master || !sender.name.equals(me.slaveof) || !h.paused() || mfMasterOffset != -1) return;
    mfMasterOffset = h.replOffset();
    state.host.point("redis.cluster.mf-offset", "Received replication offset for paused master manual failover: " + mfMasterOffset,
        "masterOffset", mfMasterOffset, "offset", state.host.replOffset());
  }

  /** manualFailoverCheckTimeout, on masters and replicas alike. */
  void checkTimeout() {
    if (mfEndMs == 0 || mfEndMs >= state.host.nowMs()) return;
    state.host.point("redis.cluster.mf-timeout", "Manual failover timed out.", "paused", mfSlave != null);
    reset();
  }

  /** clusterHandleManualFailover: the replica starts once it processed the offset its paused master announced. */
  void handle() {
    if (mfEndMs == 0 || mfCanStart || mfMasterOffset == -1) return;
    boolean caughtUp = mfMasterOffset == state.host.replOffset();
    if (!caughtUp && !state.settings.mfSkipsOffsetWait) return;
    mfCanStart = true;
    state.host.point("redis.cluster.mf-can-start", "All master replication stream processed, manual failover can start.",
        "masterOffset", mfMasterOffset, "offset", state.host.replOffset());
  }

  /** resetManualFailover: a master that paused its clients lets them go whatever the outcome. */
  void reset() {
    if (mfSlave != null) state.host.unpauseWrites();
    mfEndMs = 0;
    mfCanStart = false;
    mfSlave = null;
    mfMasterOffset = -1;
  }

  String describe() {
    if (mfEndMs == 0) return "";
    return "manual failover until " + mfEndMs + (mfSlave != null ? " (clients paused for " + mfSlave + ")" : mfCanStart ? " (can start)"
        : " (master offset " + mfMasterOffset + ")");
  }
}
