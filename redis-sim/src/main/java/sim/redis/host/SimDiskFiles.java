package sim.redis.host;

import java.util.List;
import sim.core.disk.SimDisk;

/** RedisFiles on a simulated node's disk: the deterministic, crashable version. */
public final class SimDiskFiles implements RedisFiles {
  private final SimDisk disk;

  public SimDiskFiles(SimDisk disk) {
    this.disk = disk;
  }

  @Override
  public boolean exists(String name) {
    return disk.exists(name);
  }

  @Override
  public long size(String name) {
    return disk.size(name);
  }

  @Override
  public byte[] readAll(String name) {
    return disk.readAll(name);
  }

  @Override
  public void create(String name) {
    if (disk.exists(name)) disk.truncate(name, 0);
    else disk.create(name);
  }

  @Override
  public void append(String name, byte[] data, int from, int count) {
    long offset = disk.exists(name) ? disk.size(name) : 0;
    disk.write(name, offset, data, from, count);
  }

  @Override
  public void fsync(String name) {
    disk.fsync(name);
  }

  @Override
  public void truncate(String name, long size) {
    disk.truncate(name, size);
  }

  @Override
  public void rename(String from, String to) {
    disk.rename(from, to);
  }

  @Override
  public void delete(String name) {
    disk.delete(name);
  }

  @Override
  public List<String> list(String prefix) {
    return disk.list(prefix);
  }
}
