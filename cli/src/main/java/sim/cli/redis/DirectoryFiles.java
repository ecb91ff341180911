package sim.cli.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import sim.redis.host.RedisFiles;

/** The model's data directory on a real file system ({@code --dir}): what real redis-server reads too. */
final class DirectoryFiles implements RedisFiles {
  private final Path dir;
  private final Map<String, FileChannel> open = new HashMap<>(); // String keys, looked up only

  DirectoryFiles(Path dir) {
    this.dir = dir;
  }

  private Path path(String name) {
    return dir.resolve(name);
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(path(name));
  }

  @Override
  public long size(String name) {
    try {
      return Files.size(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public byte[] readAll(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void create(String name) {
    close(name);
    try {
      Files.createDirectories(path(name).getParent());
      Files.write(path(name), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void append(String name, byte[] data, int from, int count) {
    try {
      FileChannel ch = open.get(name);
      if (ch == null) {
        Files.createDirectories(path(name).getParent());
        ch = FileChannel.open(path(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        open.put(name, ch);
      }
      ByteBuffer buf = ByteBuffer.wrap(data, from, count);
      while (buf.hasRemaining()) ch.write(buf);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path(name), e);
    }
  }

  @Override
  public void fsync(String name) {
    try {
      FileChannel ch = open.get(name);
      if (ch != null) {
        ch.force(false);
        return;
      }
      try (FileChannel c = FileChannel.open(path(name), StandardOpenOption.WRITE)) {
        c.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("fsync " + path(name), e);
    }
  }

  @Override
  public void truncate(String name, long size) {
    close(name);
    try (FileChannel c = FileChannel.open(path(name), StandardOpenOption.WRITE)) {
      c.truncate(size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void rename(String from, String to) {
    close(from);
    close(to);
    try {
      Files.createDirectories(path(to).getParent());
      Files.move(path(from), path(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(String name) {
    close(name);
    try {
      Files.deleteIfExists(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) return names;
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String n = dir.relativize(p).toString().replace('\\', '/');
        if (n.startsWith(prefix)) names.add(n);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    names.sort(null);
    return names;
  }

  private void close(String name) {
    FileChannel ch = open.remove(name);
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void closeAll() {
    for (String n : new ArrayList<>(open.keySet())) close(n);
  }
}
