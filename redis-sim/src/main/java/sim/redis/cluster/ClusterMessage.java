package sim.redis.cluster;

import java.util.BitSet;
import java.util.List;
import sim.core.Message;

/**
 * The cluster bus (cluster.h's clusterMsg), one record per message type. Every message carries the sender's
 * {@link Header}: its currentEpoch, the configEpoch and slot bitmap of the master it is or replicates
 * (clusterBuildMessageHdr: a replica advertises its master's slots), and its master's name when it is a replica.
 */
public sealed interface ClusterMessage extends Message {
  Header header();

  /**
   * clusterMsg's fixed part. {@code slots} is never mutated after the message is built. {@code paused} is mflags'
   * CLUSTERMSG_FLAG0_PAUSED: the sender is a master whose clients are paused for a manual failover, so its
   * {@code replOffset} will not move until the failover ends.
   */
  record Header(String sender, long currentEpoch, long configEpoch, BitSet slots, String slaveof, long replOffset,
      boolean clusterOk, boolean paused) {
    Header(String sender, long currentEpoch, long configEpoch, BitSet slots, String slaveof, long replOffset, boolean clusterOk) {
      this(sender, currentEpoch, configEpoch, slots, slaveof, replOffset, clusterOk, false);
    }

    @Override
    public String toString() {
      return sender + (slaveof == null ? " master" : " replica of " + slaveof) + " currentEpoch=" + currentEpoch
          + " configEpoch=" + configEpoch + " slots=" + Slots.ranges(slots) + " offset=" + replOffset
          + (clusterOk ? "" : " state=fail") + (paused ? " paused" : "");
    }
  }

  /**
   * clusterMsgDataGossip: what the sender knows about another node (flags: PFAIL, FAIL, and SLAVE or MASTER, which a
   * receiver that does not know the node yet adds it with). The node's address is its name here.
   */
  record Gossip(String node, boolean pfail, boolean fail, boolean replica) {
    @Override
    public String toString() {
      return node + (fail ? " fail" : pfail ? " fail?" : "");
    }
  }

  /** CLUSTERMSG_TYPE_PING: answered with a PONG. */
  record Ping(Header header, List<Gossip> gossip) implements ClusterMessage {}

  /**
   * CLUSTERMSG_TYPE_MEET: a PING that makes a receiver that does not know us add us (as a handshake node), the first
   * packet on a link to a node we were told to meet (CLUSTER MEET).
   */
  record Meet(Header header, List<Gossip> gossip) implements ClusterMessage {}

  /** CLUSTERMSG_TYPE_PONG: the answer to a PING, or a broadcast of a new configuration. */
  record Pong(Header header, List<Gossip> gossip) implements ClusterMessage {}

  /** CLUSTERMSG_TYPE_FAIL: every receiver flags {@code failing} FAIL at once. */
  record Fail(Header header, String failing) implements ClusterMessage {}

  /**
   * CLUSTERMSG_TYPE_FAILOVER_AUTH_REQUEST: a replica asks the masters for their vote in its currentEpoch.
   * {@code forceAck} is CLUSTERMSG_FLAG0_FORCEACK, set during a manual failover: vote although the master is up.
   */
  record AuthRequest(Header header, boolean forceAck) implements ClusterMessage {
    AuthRequest(Header header) {
      this(header, false);
    }

    @Override
    public String toString() {
      return "AuthRequest[header=" + header + (forceAck ? ", forceAck" : "") + "]";
    }
  }

  /** CLUSTERMSG_TYPE_FAILOVER_AUTH_ACK: a master's vote. */
  record AuthAck(Header header) implements ClusterMessage {}

  /** CLUSTERMSG_TYPE_MFSTART: a replica asks its master to pause its clients for a manual failover. */
  record MfStart(Header header) implements ClusterMessage {}

  /** CLUSTERMSG_TYPE_UPDATE: the receiver's slot configuration is stale; {@code node} owns these slots now. */
  record Update(Header header, String node, long configEpoch, BitSet slots) implements ClusterMessage {
    @Override
    public String toString() {
      return "Update[" + header + "; " + node + " configEpoch=" + configEpoch + " slots=" + Slots.ranges(slots) + "]";
    }
  }
}
