package sim.bench.postgres;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.core.Simulation;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;
import sim.postgres.sql.Ast.Stmt;
import sim.postgres.sql.Parser;
import sim.postgres.wal.StandbyReplay;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;

/**
 * P3: can the model's standby keep up with its primary? Rows per second the primary turns into WAL (the
 * baseline: P1's write path, a prepared 1000-row INSERT per transaction, committed with synchronous_commit=on)
 * against rows per second a hot standby's startup process replays from that same WAL (ours: the transaction's
 * WAL bytes decoded, each frame's CRC-32C checked, and every record redone with the crash-recovery code on the
 * standby's shared state, KnownAssignedXids included). The WAL is generated once, 50 transactions after a base
 * backup of the empty table; the standby starts again from that backup after the 50th. The walreceiver's own
 * write and fsync of the WAL are not in either figure. Goal: ≥ 1× (replay no slower than generation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class P3StandbyReplayBenchmark {
  static final int ROWS = 1000;
  static final int TRANSACTIONS = 50;
  private Stmt insert;
  private Database primary;
  private Storage primaryStorage;
  private int primaryInvocations;
  /** The base backup's files, and each transaction's WAL bytes after it. */
  private final Map<String, byte[]> backup = new TreeMap<>();
  private final byte[][] walOfTransaction = new byte[TRANSACTIONS][];
  private StandbyReplay standby;
  private int replayed;

  @Setup(Level.Trial)
  public void setup() {
    StringBuilder b = new StringBuilder("insert into bench values ");
    for (int i = 1; i <= ROWS; i++) b.append(i > 1 ? ", (" : "(").append(i).append(", ").append(i).append(')');
    insert = Parser.parse(b.toString());
    SimDisk disk = freshPrimary();
    for (String f : disk.list("")) backup.put(f, disk.readAll(f));
    int segSize = primaryStorage.wal().segmentSize();
    for (int t = 0; t < TRANSACTIONS; t++) {
      long from = primaryStorage.wal().flushedLsn();
      runTransaction();
      walOfTransaction[t] = WalFiles.read(disk, 1, segSize, from, primaryStorage.wal().flushedLsn());
    }
    freshPrimary();
    freshStandby();
  }

  /** initdb, the table, a checkpoint: what the base backup copies. */
  private SimDisk freshPrimary() {
    Simulation sim = new Simulation(1);
    SimDisk disk = new SimDisk("pg", sim.random("disk"));
    primaryStorage = Storage.open(disk, Storage.Config.defaults());
    primary = new Database(ScheduleRunner.clockOf(sim), primaryStorage.state(), primaryStorage);
    primary.execute("bench", "create table bench (id int, v int)");
    primaryStorage.checkpoint();
    return disk;
  }

  private void freshStandby() {
    SimDisk disk = SimDisk.standalone("s1", 1);
    for (Map.Entry<String, byte[]> f : backup.entrySet()) {
      disk.create(f.getKey());
      disk.write(f.getKey(), 0, f.getValue());
    }
    standby = StandbyReplay.begin(disk);
    replayed = 0;
  }

  private long runTransaction() {
    primary.execute("bench", "begin");
    Result r = primary.executeParsed("bench", insert);
    primary.execute("bench", "commit");
    return ((Result.Count) r).count() + primaryStorage.wal().flushedLsn();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long standbyReplay() {
    if (replayed == TRANSACTIONS) freshStandby();
    byte[] wal = walOfTransaction[replayed++];
    for (Wal.Entry e : StandbyReplay.decode(wal, 0, wal.length, standby.replayLsn())) standby.replay(e);
    return standby.replayLsn();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long baselinePrimaryWalGeneration() {
    if (++primaryInvocations % TRANSACTIONS == 0) freshPrimary(); // the same 50 transactions' worth, as the standby
    return runTransaction();
  }
}
