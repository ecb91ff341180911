package sim.core.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import sim.core.Check;
import sim.core.SimRandom;

/**
 * One node's disk. Writes land in a page cache and become durable only when the file is fsynced; a crash
 * keeps the durable state plus what the {@link CrashLossMode} lets survive.
 *
 * <p>Simplification, as in a journaled file system mounted with {@code dirsync}: creating a file's name,
 * {@link #rename} and {@link #delete} are durable at once; a file's <em>contents and size</em> follow fsync.
 * A file created and never fsynced is gone after a crash.
 *
 * <p>Injected faults: corruption at rest ({@link #corrupt}) or on read, EIO on the next writes or fsyncs, a
 * full disk.
 */
public final class SimDisk {
  private sealed interface PendingOp permits Write, Truncate {
    String file();
  }

  private record Write(String file, long offset, byte[] data) implements PendingOp {}

  private record Truncate(String file, long size) implements PendingOp {}

  private final String owner;
  private final SimRandom random;
  private final TreeMap<String, FileBytes> current = new TreeMap<>();
  /** The file looked up last: most writes go to the file written just before (a log, an AOF). */
  private String lastName;
  private FileBytes lastBytes;
  private final TreeMap<String, FileBytes> durable = new TreeMap<>();
  private final List<PendingOp> pending = new ArrayList<>();
  private DiskObserver observer = DiskObserver.NONE;

  private CrashLossMode crashLossMode = CrashLossMode.LOSE_UNSYNCED;
  private long capacityBytes = Long.MAX_VALUE;
  private int failNextWrites;
  private int failNextFsyncs;
  private double corruptReadProbability;
  private long fsyncLatencyNanos;

  private long usedBytes; // sum of current file lengths, kept up to date so writes need not sum all files

  public SimDisk(String owner, SimRandom random) {
    this.owner = owner;
    this.random = random;
  }

  /** A disk outside any simulation, for codecs, tools and benchmarks that need one: nothing observes it. */
  public static SimDisk standalone(String owner, long seed) {
    return new SimDisk(owner, SimRandom.of(seed, "disk." + owner));
  }

  public void observe(DiskObserver observer) {
    this.observer = Check.notNull(observer, "observer");
  }

  // ---- file operations ------------------------------------------------------------------------------

  public boolean exists(String file) {
    return lookup(file) != null;
  }

  public long size(String file) {
    return existing(file).length();
  }

  /** Names of the files whose path starts with {@code prefix}, sorted. */
  public List<String> list(String prefix) {
    List<String> names = new ArrayList<>();
    for (String name : current.tailMap(prefix, true).keySet()) {
      if (!name.startsWith(prefix)) break;
      names.add(name);
    }
    return names;
  }

  /** Creates an empty file if it does not exist. The name is durable at once; its contents are not. */
  public void create(String file) {
    checkName(file);
    if (lookup(file) != null) return;
    forget();
    current.put(file, new FileBytes());
    durable.putIfAbsent(file, new FileBytes());
    observer.onDiskOp("disk.create", file, "file", file);
  }

  public void write(String file, long offset, byte[] data) {
    write(file, offset, data, 0, data.length);
  }

  /** Writes into the page cache (creating the file); durable only after {@link #fsync}. */
  public void write(String file, long offset, byte[] data, int from, int count) {
    Check.argument(offset >= 0 && from >= 0 && count >= 0 && from + count <= data.length, "bad write range");
    maybeFail("write", file);
    create(file);
    FileBytes f = lookup(file);
    long growth = Math.max(0, offset + count - f.length());
    if (usedBytes + growth > capacityBytes) {
      throw new SimIOException("ENOSPC", "No space left on device writing " + file + " on " + owner);
    }
    byte[] copy = new byte[count];
    System.arraycopy(data, from, copy, 0, count);
    f.write(offset, copy, 0, count);
    usedBytes += growth;
    pending.add(new Write(file, offset, copy));
    if (observer != DiskObserver.NONE) observer.onDiskOp("disk.write", file + "@" + offset + " +" + count + "B", "file", file, "offset", offset, "bytes", count);
  }

  /** Appends at the end of the file and returns the offset written at. */
  public long append(String file, byte[] data) {
    return append(file, data, 0, data.length);
  }

  /** Appends {@code count} bytes of {@code data} from {@code from} (the disk keeps its own copy). */
  public long append(String file, byte[] data, int from, int count) {
    long offset = exists(file) ? size(file) : 0;
    write(file, offset, data, from, count);
    return offset;
  }

  public byte[] read(String file, long offset, int length) {
    byte[] out = existing(file).read(offset, length);
    if (out.length > 0 && random.chance(corruptReadProbability)) {
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      observer.onDiskOp("disk.corrupt-read", file + "@" + offset, "file", file, "offset", offset);
    }
    return out;
  }

  public byte[] readAll(String file) {
    return read(file, 0, (int) size(file));
  }

  public void truncate(String file, long size) {
    Check.argument(size >= 0, "negative truncate size");
    maybeFail("truncate", file);
    FileBytes f = existing(file);
    usedBytes += size - f.length();
    f.truncate(size);
    pending.add(new Truncate(file, size));
    observer.onDiskOp("disk.truncate", file + " to " + size + "B", "file", file, "size", size);
  }

  /** Makes every earlier write and truncate of {@code file} durable. */
  public void fsync(String file) {
    existing(file);
    if (failNextFsyncs > 0) {
      failNextFsyncs--;
      throw new SimIOException("EIO", "fsync failed on " + file + " on " + owner);
    }
    FileBytes target = durable.computeIfAbsent(file, k -> new FileBytes());
    int before = pending.size();
    pending.removeIf(op -> { // one pass: fsync is on every durable write path, pending may be long
      if (!op.file().equals(file)) return false;
      apply(target, op);
      return true;
    });
    int synced = before - pending.size();
    if (observer != DiskObserver.NONE) observer.onDiskOp("disk.fsync", file + " (" + synced + " ops)", "file", file, "ops", synced);
  }

  /** Atomic rename, durable at once (see the class comment). Un-fsynced writes follow the file. */
  public void rename(String from, String to) {
    checkName(to);
    FileBytes f = existing(from);
    forget();
    current.remove(from);
    FileBytes replaced = current.put(to, f);
    if (replaced != null) usedBytes -= replaced.length();
    FileBytes d = durable.remove(from);
    if (d != null) durable.put(to, d); else durable.remove(to);
    for (int i = 0; i < pending.size(); i++) {
      PendingOp op = pending.get(i);
      if (op.file().equals(to)) {
        pending.remove(i--);
      } else if (op.file().equals(from)) {
        pending.set(i, op instanceof Write w ? new Write(to, w.offset(), w.data()) : new Truncate(to, ((Truncate) op).size()));
      }
    }
    observer.onDiskOp("disk.rename", from + " -> " + to, "from", from, "to", to);
  }

  public void delete(String file) {
    forget();
    FileBytes gone = current.remove(file);
    if (gone == null) return;
    usedBytes -= gone.length();
    durable.remove(file);
    pending.removeIf(op -> op.file().equals(file));
    observer.onDiskOp("disk.delete", file, "file", file);
  }

  /** Bytes written but not yet fsynced, over all files: what a crash could lose. */
  public long unsyncedBytes() {
    long n = 0;
    for (PendingOp op : pending) if (op instanceof Write w) n += w.data().length;
    return n;
  }

  // ---- crash -----------------------------------------------------------------------------------------

  /** Applies the crash-loss mode: afterwards the disk holds what survived, all of it durable. */
  public void crash() {
    int keep = switch (crashLossMode) {
      case LOSE_UNSYNCED -> 0;
      case KEEP_PREFIX, TORN_LAST_WRITE -> random.nextInt(pending.size() + 1);
    };
    for (int i = 0; i < keep; i++) apply(durable.computeIfAbsent(pending.get(i).file(), k -> new FileBytes()), pending.get(i));
    String torn = "";
    if (crashLossMode == CrashLossMode.TORN_LAST_WRITE && keep < pending.size() && pending.get(keep) instanceof Write w && w.data().length > 1) {
      int part = 1 + random.nextInt(w.data().length - 1);
      durable.computeIfAbsent(w.file(), k -> new FileBytes()).write(w.offset(), w.data(), 0, part);
      torn = ", torn write " + w.file() + "@" + w.offset() + " kept " + part + "/" + w.data().length + "B";
    }
    int lost = pending.size() - keep;
    long lostBytes = 0;
    for (int i = keep; i < pending.size(); i++) if (pending.get(i) instanceof Write lw) lostBytes += lw.data().length;
    pending.clear();
    forget();
    current.clear();
    for (Map.Entry<String, FileBytes> e : durable.entrySet()) current.put(e.getKey(), e.getValue().copy());
    usedBytes = sumLengths();
    observer.onDiskOp("disk.crash", crashLossMode + ": kept " + keep + " un-fsynced ops, lost " + lost + " (" + lostBytes + "B)" + torn,
        "mode", crashLossMode.name(), "kept_ops", keep, "lost_ops", lost, "lost_bytes", lostBytes);
  }

  // ---- faults ----------------------------------------------------------------------------------------

  public void setCrashLossMode(CrashLossMode mode) {
    this.crashLossMode = Check.notNull(mode, "crash loss mode");
  }

  public CrashLossMode crashLossMode() {
    return crashLossMode;
  }

  /** Flips bits in {@code length} bytes at {@code offset}, on disk and in the cache: corruption at rest. */
  public void corrupt(String file, long offset, int length) {
    FileBytes f = existing(file);
    Check.argument(offset >= 0 && offset + length <= f.length(), "corruption range outside %s (%d bytes)", file, f.length());
    FileBytes d = durable.get(file);
    for (int i = 0; i < length; i++) {
      byte mask = (byte) (1 + random.nextInt(255));
      f.xor((int) offset + i, mask);
      if (d != null && offset + i < d.length()) d.xor((int) offset + i, mask);
    }
    observer.onDiskOp("disk.corrupt", file + "@" + offset + " " + length + "B", "file", file, "offset", offset, "bytes", length);
  }

  public void failNextWrites(int count) {
    this.failNextWrites = count;
  }

  public void failNextFsyncs(int count) {
    this.failNextFsyncs = count;
  }

  public void setCorruptReadProbability(double p) {
    this.corruptReadProbability = p;
  }

  public void setCapacityBytes(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** Fills the disk: every write that grows a file fails with ENOSPC until the capacity is raised. */
  public void fill() {
    this.capacityBytes = totalBytes();
  }

  public void setFsyncLatencyNanos(long nanos) {
    this.fsyncLatencyNanos = nanos;
  }

  /** How long an fsync takes; {@code NodeContext.fsyncThen} delivers its completion this much later. */
  public long fsyncLatencyNanos() {
    return fsyncLatencyNanos;
  }

  public long totalBytes() {
    return usedBytes;
  }

  private long sumLengths() {
    long n = 0;
    for (FileBytes f : current.values()) n += f.length();
    return n;
  }

  // ---- the edge: real directories --------------------------------------------------------------------

  /** Writes the current contents (what a reader of the node would see) to a real directory, for real tools. */
  public void exportTo(Path dir) {
    try {
      for (Map.Entry<String, FileBytes> e : current.entrySet()) {
        Path p = dir.resolve(e.getKey());
        Files.createDirectories(p.getParent() == null ? dir : p.getParent());
        Files.write(p, e.getValue().toArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("exporting the disk of " + owner + " to " + dir, e);
    }
  }

  /** Replaces this disk's contents with a real directory's files, all durable. */
  public void importFrom(Path dir) {
    forget();
    current.clear();
    durable.clear();
    pending.clear();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
        String name = dir.relativize(p).toString().replace('\\', '/');
        byte[] bytes = Files.readAllBytes(p);
        current.put(name, new FileBytes(bytes));
        durable.put(name, new FileBytes(bytes));
      }
      usedBytes = sumLengths();
    } catch (IOException e) {
      throw new UncheckedIOException("importing " + dir + " into the disk of " + owner, e);
    }
  }

  // ---- internals -------------------------------------------------------------------------------------

  private FileBytes lookup(String file) {
    if (file.equals(lastName)) return lastBytes;
    FileBytes f = current.get(file);
    if (f != null) {
      lastName = file;
      lastBytes = f;
    }
    return f;
  }

  private void forget() {
    lastName = null;
    lastBytes = null;
  }

  private FileBytes existing(String file) {
    FileBytes f = lookup(file);
    if (f == null) throw new SimIOException("ENOENT", "No such file " + file + " on " + owner);
    return f;
  }

  private void maybeFail(String what, String file) {
    if (failNextWrites > 0) {
      failNextWrites--;
      throw new SimIOException("EIO", what + " failed on " + file + " on " + owner);
    }
  }

  private static void apply(FileBytes target, PendingOp op) {
    if (op instanceof Write w) target.write(w.offset(), w.data(), 0, w.data().length);
    else target.truncate(((Truncate) op).size());
  }

  private static void checkName(String file) {
    Check.argument(file != null && !file.isEmpty() && !file.startsWith("/") && !file.contains(".."),
        "bad file name '%s': use a relative path without '..'", file);
  }
}
