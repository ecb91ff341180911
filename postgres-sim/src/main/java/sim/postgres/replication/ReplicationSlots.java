package sim.postgres.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Result;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalRetention;

/**
 * Physical replication slots (slot.c, slotfuncs.c): a name and a {@code restart_lsn} the checkpointer
 * must keep WAL from. A slot is created without a restart_lsn (pg_create_physical_replication_slot with
 * immediately_reserve false, the default); the walsender streaming to a standby with that
 * {@code primary_slot_name} moves it to the standby's flush position (PhysicalConfirmReceivedLocation).
 * Each slot lives in {@code pg_replslot/<name>/state}, written durably at creation and at every checkpoint
 * (CheckPointReplicationSlots), so a restarted server keeps what its slots kept.
 */
public final class ReplicationSlots implements WalRetention.Slots {
  static final String DIR = "pg_replslot/";
  /**
   * wal_sender_timeout, shortened to 5 s (PostgreSQL: 60 s): a walsender that heard nothing for this long
   * exits and releases its slot, which pg_replication_slots then shows inactive.
   */
  static final long WAL_SENDER_TIMEOUT_NANOS = 5_000_000_000L;

  /** A slot: restart_lsn 0 = InvalidXLogRecPtr; invalidatedAt set once max_slot_wal_keep_size took it. */
  static final class Slot {
    final String name;
    long restartLsn;
    long invalidatedAt;
    NodeId activeFor;
    long lastHeardNanos;

    Slot(String name) {
      this.name = name;
    }

    boolean invalidated() {
      return restartLsn == 0 && invalidatedAt != 0;
    }
  }

  /** What the slots reach of their server. */
  public interface Host {
    void point(String name, String detail, Object... attributes);

    long nowNanos();

    /** The walsender streaming to {@code node} is terminated (the slot it holds was invalidated). */
    void terminateWalSender(NodeId node);
  }

  private final SimDisk disk;
  private final Host host;
  private final Map<String, Slot> slots = new TreeMap<>();

  /** StartupReplicationSlots: the slots as their state files have them. */
  public ReplicationSlots(SimDisk disk, Host host) {
    this.disk = disk;
    this.host = host;
    for (String f : disk.list(DIR)) {
      if (!f.endsWith("/state")) continue;
      String[] v = new String(disk.readAll(f), StandardCharsets.UTF_8).trim().split("\t");
      Slot s = new Slot(f.substring(DIR.length(), f.length() - "/state".length()));
      s.restartLsn = Long.parseLong(v[0]);
      s.invalidatedAt = Long.parseLong(v[1]);
      slots.put(s.name, s);
    }
  }

  /** pg_create_physical_replication_slot(name): durable before it returns (CreateSlotOnDisk). */
  public Result create(String name) {
    if (!name.matches("[a-z0-9_]{1,63}")) {
      return new Result.Error("42602", "replication slot name \"" + name + "\" contains invalid character",
          "Replication slot names may only contain lower case letters, numbers, and the underscore character.");
    }
    if (slots.containsKey(name)) return new Result.Error("42710", "replication slot \"" + name + "\" already exists");
    Slot s = new Slot(name);
    slots.put(name, s);
    save(s);
    host.point("pg.slot.create", "replication slot \"" + name + "\" created (no restart_lsn until a standby streams from it)", "slot", name);
    return new Result.Rows(List.of(List.of((Object) ("(" + name + ",)"))));
  }

  /**
   * pg_basebackup {@code -C -S name}: the slot is created with WAL reserved from {@code redoLsn}
   * (ReplicationSlotReserveWal takes GetRedoRecPtr for a physical slot); an existing slot is kept as it is
   * (here, so that a backup taken again after a crash finds it; pg_basebackup -C would fail).
   */
  public void createReserved(String name, long redoLsn) {
    if (slots.containsKey(name)) return;
    Slot s = new Slot(name);
    s.restartLsn = redoLsn;
    slots.put(name, s);
    save(s);
    host.point("pg.slot.create", "replication slot \"" + name + "\" created by pg_basebackup -C, restart_lsn " + Wal.formatLsn(redoLsn),
        "slot", name, "restartLsn", Wal.formatLsn(redoLsn));
  }

  /** pg_drop_replication_slot(name). */
  public Result drop(String name) {
    Slot s = slots.get(name);
    if (s == null) return new Result.Error("42704", "replication slot \"" + name + "\" does not exist");
    if (active(s)) return new Result.Error("55006", "replication slot \"" + name + "\" is active");
    slots.remove(name);
    disk.delete(DIR + name + "/state");
    return new Result.Rows(List.of(Arrays.asList((Object) "")));
  }

  /** ReplicationSlotAcquire for START_REPLICATION SLOT name PHYSICAL: the error text, or null. */
  String acquire(String name, NodeId standby) {
    Slot s = slots.get(name);
    if (s == null) return "replication slot \"" + name + "\" does not exist";
    s.activeFor = standby; // one walsender per standby here: a reconnect takes its slot over
    s.lastHeardNanos = host.nowNanos();
    return null;
  }

  void release(String name, NodeId standby) {
    Slot s = slots.get(name);
    if (s != null && standby.equals(s.activeFor)) s.activeFor = null;
  }

  /** PhysicalConfirmReceivedLocation: the standby flushed WAL to {@code flushLsn}. */
  void confirmFlush(String name, long flushLsn) {
    Slot s = slots.get(name);
    if (s == null || flushLsn == 0) return;
    s.lastHeardNanos = host.nowNanos();
    if (flushLsn > s.restartLsn) s.restartLsn = flushLsn; // the model's standbys never report an older flush
  }

  private boolean active(Slot s) {
    return s.activeFor != null && host.nowNanos() - s.lastHeardNanos <= WAL_SENDER_TIMEOUT_NANOS;
  }

  /** The valid slots' restart_lsn by name (for checks). */
  public Map<String, Long> restartLsns() {
    Map<String, Long> out = new TreeMap<>();
    for (Slot s : slots.values()) if (!s.invalidated()) out.put(s.name, s.restartLsn);
    return out;
  }

  @Override
  public long minimumRestartLsn() {
    long min = 0;
    for (Slot s : slots.values()) if (s.restartLsn != 0 && (min == 0 || s.restartLsn < min)) min = s.restartLsn;
    return min;
  }

  @Override
  public List<String> invalidateObsolete(long oldestLsn) {
    List<String> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (s.restartLsn == 0 || s.restartLsn >= oldestLsn) continue;
      if (s.activeFor != null) {
        host.point("pg.slot.terminate", "LOG:  terminating process of walsender for " + s.activeFor.name() + " to release replication slot \""
            + s.name + "\"", "slot", s.name);
        host.terminateWalSender(s.activeFor);
        s.activeFor = null;
      }
      host.point("pg.slot.invalidate", "LOG:  invalidating slot \"" + s.name + "\" because its restart_lsn " + Wal.formatLsn(s.restartLsn)
          + " exceeds max_slot_wal_keep_size", "slot", s.name, "restartLsn", Wal.formatLsn(s.restartLsn));
      s.invalidatedAt = s.restartLsn;
      s.restartLsn = 0;
      save(s);
      out.add(s.name);
    }
    return out;
  }

  @Override
  public void checkpoint() {
    for (Slot s : slots.values()) save(s);
  }

  /** SaveSlotToPath: a temporary file, fsynced, renamed into place. */
  private void save(Slot s) {
    String file = DIR + s.name + "/state";
    String tmp = file + ".tmp";
    if (disk.exists(tmp)) disk.delete(tmp);
    disk.create(tmp);
    disk.write(tmp, 0, (s.restartLsn + "\t" + s.invalidatedAt + "\n").getBytes(StandardCharsets.UTF_8));
    disk.fsync(tmp);
    disk.rename(tmp, file);
  }

  /** The columns of pg_replication_slots this model has, in PostgreSQL 15's order. */
  static final List<String> COLUMNS = List.of("slot_name", "plugin", "slot_type", "temporary", "active", "restart_lsn", "wal_status", "safe_wal_size");

  /**
   * {@code SELECT cols FROM pg_replication_slots} (pg_get_replication_slots): wal_status and safe_wal_size
   * from GetWALAvailability against the current write position; an invalidated slot is "lost".
   */
  public Result select(List<String> columns, WalRetention retention, long writtenLsn) {
    for (String c : columns) if (!COLUMNS.contains(c)) return new Result.Error("42703", "column \"" + c + "\" does not exist");
    List<List<Object>> rows = new ArrayList<>();
    for (Slot s : slots.values()) {
      String status = s.invalidated() ? "lost" : retention.walStatus(s.restartLsn, writtenLsn);
      // WALAVAIL_REMOVED with a walsender still on the slot: it may have moved on past the removed file
      if ("lost".equals(status) && !s.invalidated() && active(s)) status = "unreserved";
      Long safe = s.restartLsn == 0 ? null : retention.safeWalSize(s.restartLsn, status, writtenLsn);
      Map<String, Object> all = new TreeMap<>();
      all.put("slot_name", s.name);
      all.put("slot_type", "physical");
      all.put("temporary", false);
      all.put("active", active(s));
      all.put("restart_lsn", s.restartLsn == 0 ? null : Wal.formatLsn(s.restartLsn));
      all.put("wal_status", status);
      all.put("safe_wal_size", safe);
      List<Object> row = new ArrayList<>();
      for (String c : columns) row.add(all.get(c));
      rows.add(row);
    }
    return new Result.Rows(rows);
  }

  /** The columns a {@code select a, b from pg_replication_slots} names ({@code *}: all of them). */
  public static List<String> columnsOf(String lowerSql) {
    String list = lowerSql.substring("select".length(), lowerSql.indexOf(" from ")).trim();
    if (list.equals("*")) return COLUMNS;
    List<String> out = new ArrayList<>();
    for (String c : list.split(",")) out.add(c.trim());
    return out;
  }

  public String describe(WalRetention retention, long writtenLsn) {
    StringBuilder b = new StringBuilder("pg_replication_slots\n");
    for (List<Object> r : ((Result.Rows) select(List.of("slot_name", "active", "restart_lsn", "wal_status", "safe_wal_size"), retention, writtenLsn)).rows()) {
      b.append(String.format(Locale.ROOT, " %-8s active=%-5s restart_lsn=%-11s wal_status=%-10s safe_wal_size=%s%n", r.toArray()));
    }
    return b.toString();
  }
}
