package sim.redis.replication;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import sim.redis.command.ClientState;
import sim.redis.resp.ProtocolException;
import sim.redis.resp.RespOut;
import sim.redis.resp.RespParser;

/**
 * The replica's half of replication.c: the link to the master (server.repl_state), the PSYNC it sends
 * (replicationTryPartialResynchronization, with the cached master's replid and offset + 1, or {@code ? -1}),
 * the +FULLRESYNC/+CONTINUE answer, the RDB payload (readSyncBulkPayload) and then the stream, applied command
 * by command through the dispatcher as the master client; each applied command's bytes move this server's own
 * offset and backlog (replicationFeedStreamFromMasterStream), so replid + offset name the same history as the
 * master's. REPLCONF ACK goes back every second and on GETACK.
 */
final class ReplicaSide {
  enum State { CONNECT, HANDSHAKE, TRANSFER, CONNECTED }

  private final Replication repl;
  private final ReplIds ids;
  final String masterHost;
  final int masterPort;
  State state = State.CONNECT;
  /** A cached master: this server's replid and offset name a history the master may continue. */
  boolean cachedMaster;
  private long nextRequestId = 1;
  private long psyncId = -1;
  private long received; // bytes of this link's stream so far
  private final RespOut preamble = new RespOut(64);
  private long transferSize = -1;
  private long initialOffset;
  private String fullResyncId;
  private RespParser parser;
  private final RespOut unapplied = new RespOut(256); // bytes given to the parser, not yet a whole command
  private long fedToParser;
  private long appliedFromParser;
  private final ClientState master = new ClientState("master");
  long lastIoMs;
  long linkDownSinceMs;
  long readReplOffset;
  int fullSyncs;
  int partialSyncs;

  ReplicaSide(Replication repl, ReplIds ids, String host, int port, boolean cachedMaster) {
    this.repl = repl;
    this.ids = ids;
    this.masterHost = host;
    this.masterPort = port;
    this.cachedMaster = cachedMaster;
    this.linkDownSinceMs = repl.host.env().nowMs();
    master.markMaster();
  }

  /** connectWithMaster + the handshake, reduced to its PSYNC. */
  private void connect() {
    psyncId = nextRequestId++;
    received = 0;
    preamble.clear();
    transferSize = -1;
    state = State.HANDSHAKE;
    lastIoMs = repl.host.env().nowMs();
    List<String> psync = cachedMaster ? List.of("PSYNC", ids.replid, Long.toString(ids.masterReplOffset + 1)) : List.of("PSYNC", "?", "-1");
    repl.host.env().point("redis.repl.psync", "MASTER <-> REPLICA sync started: " + String.join(" ", psync) + " to "
        + masterHost + ":" + masterPort, "master", masterHost, "replid", psync.get(1), "offset", psync.get(2));
    repl.host.sendToMaster(masterHost, masterPort, psyncId, psync);
  }

  /** Bytes of the link's stream: the PSYNC answer, the RDB, then the commands. A gap means the link broke. */
  void onStream(long epoch, long seq, byte[] bytes) {
    if (state == State.CONNECT || epoch != psyncId) return; // an older connection's bytes
    int skip = 0;
    if (seq < received) { // a duplicate delivery: only the part not yet read
      if (seq + bytes.length <= received) return;
      skip = (int) (received - seq);
    } else if (seq > received) {
      linkDown("Connection with master lost (" + (seq - received) + " bytes of the stream missing).");
      return;
    }
    received += bytes.length - skip;
    lastIoMs = repl.host.env().nowMs();
    try {
      read(bytes, skip);
    } catch (ProtocolException | sim.redis.rdb.RdbException | NumberFormatException e) {
      linkDown("Protocol error from master: " + e.getMessage());
    }
  }

  private void read(byte[] b, int from) {
    int p = from;
    while (p < b.length && state != State.CONNECTED && state != State.CONNECT) p = readPreamble(b, p);
    if (state == State.CONNECTED && p < b.length) apply(b, p, b.length - p);
  }

  /** The +FULLRESYNC / +CONTINUE line, then for a full resync the $len line and the RDB itself. */
  private int readPreamble(byte[] b, int p) {
    if (state == State.TRANSFER && transferSize >= 0) {
      int n = (int) Math.min(b.length - p, transferSize - preamble.length());
      preamble.raw(b, p, n);
      if (preamble.length() == transferSize) loadRdb(Arrays.copyOf(preamble.array(), preamble.length()));
      return p + n;
    }
    int nl = p;
    while (nl < b.length && b[nl] != '\n') nl++;
    preamble.raw(b, p, Math.min(nl + 1, b.length) - p);
    if (nl == b.length) return nl;
    String line = new String(preamble.array(), 0, preamble.length(), StandardCharsets.ISO_8859_1).trim();
    preamble.clear();
    if (state == State.TRANSFER) {
      transferSize = Long.parseLong(line.substring(1));
      if (transferSize == 0) loadRdb(new byte[0]);
    } else {
      answer(line);
    }
    return nl + 1;
  }

  private void answer(String line) {
    String[] w = line.split(" ");
    if (w[0].equals("+FULLRESYNC") && w.length == 3) {
      fullResyncId = w[1];
      initialOffset = Long.parseLong(w[2]);
      state = State.TRANSFER;
      repl.host.env().log("Full resync from master: " + fullResyncId + ":" + initialOffset);
    } else if (w[0].equals("+CONTINUE")) {
      if (w.length > 1 && !w[1].equals(ids.replid)) { // the master was promoted: our history is its replid2
        ids.replid2 = ids.replid;
        ids.secondReplidOffset = ids.masterReplOffset + 1;
        ids.replid = w[1];
      }
      if (ids.backlog == null) ids.createBacklog(repl.host.config().replBacklogSize);
      partialSyncs++;
      connected("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
    } else {
      linkDown("Unexpected reply to PSYNC from master: " + line);
    }
  }

  private void loadRdb(byte[] rdb) {
    repl.host.loadReplicationRdb(rdb); // emptyData + rdbLoad, the loader's own path
    ids.replid = fullResyncId;
    ids.masterReplOffset = initialOffset;
    ids.clearReplicationId2();
    ids.createBacklog(repl.host.config().replBacklogSize);
    cachedMaster = true;
    preamble.clear();
    fullSyncs++;
    connected("MASTER <-> REPLICA sync: Finished with success (" + rdb.length + " bytes of RDB loaded, offset " + initialOffset + ")");
  }

  private void connected(String why) {
    state = State.CONNECTED;
    parser = new RespParser();
    fedToParser = 0;
    appliedFromParser = 0;
    unapplied.clear();
    readReplOffset = ids.masterReplOffset;
    master.out.clear();
    repl.host.env().point("redis.repl.connected", why, "master", masterHost, "replid", ids.replid, "offset", ids.masterReplOffset);
  }

  /** processInputBuffer of the master client: each whole command runs, then its bytes count. */
  private void apply(byte[] b, int from, int len) {
    parser.feed(b, from, len);
    unapplied.raw(b, from, len);
    fedToParser += len;
    readReplOffset += len;
    List<String> argv;
    while (state == State.CONNECTED && (argv = parser.next()) != null) {
      repl.host.dispatcher().execute(master, argv);
      master.out.clear(); // a master gets no replies
      long consumed = fedToParser - parser.buffered();
      int n = (int) (consumed - appliedFromParser);
      repl.master.feedRaw(unapplied.array(), 0, n); // our offset and backlog, and any replica of ours
      appliedFromParser = consumed;
      byte[] rest = Arrays.copyOfRange(unapplied.array(), n, unapplied.length());
      unapplied.clear();
      unapplied.raw(rest, 0, rest.length);
    }
  }

  /** replicationSendAck. */
  void sendAck() {
    if (state != State.CONNECTED) return;
    repl.host.sendToMaster(masterHost, masterPort, nextRequestId++, List.of("REPLCONF", "ACK", Long.toString(ids.masterReplOffset)));
  }

  /** The link broke (RST, a gap, a timeout): the master's identity stays cached for the next PSYNC. */
  void linkDown(String why) {
    if (state == State.CONNECT) return;
    boolean wasConnected = state == State.CONNECTED;
    state = State.CONNECT;
    psyncId = -1;
    if (wasConnected) linkDownSinceMs = repl.host.env().nowMs();
    repl.host.env().point("redis.repl.link-down", why, "master", masterHost);
  }

  /** replicationCron, once a second: connect, time out, or ACK. */
  void cron() {
    long now = repl.host.env().nowMs();
    long timeoutMs = repl.host.config().replTimeoutSec * 1000L;
    switch (state) {
      case CONNECT -> connect();
      case HANDSHAKE, TRANSFER -> {
        if (now - lastIoMs > timeoutMs) linkDown("Timeout connecting to the MASTER...");
      }
      case CONNECTED -> {
        if (now - lastIoMs > timeoutMs) linkDown("MASTER timeout: no data nor PING received...");
        else sendAck();
      }
    }
  }

  /** ROLE's and INFO's name for the link state. */
  String stateName() {
    return switch (state) {
      case CONNECT -> "connect";
      case HANDSHAKE -> "handshake";
      case TRANSFER -> "sync";
      case CONNECTED -> "connected";
    };
  }
}
