/**
 * The guard of an embedded PostgreSQL server (started by `startEmbeddedPostgres`, argument: the
 * server's process id). It is connected to the process that started the server by an IPC channel;
 * when that process dies without stopping the server (SIGKILL, a crash), the channel closes and the
 * guard stops the server (fast shutdown), so that no server is left running from the data folder.
 * It ends by itself when the server has ended.
 */
const pid = Number(process.argv[2]);

function alive(): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (!Number.isInteger(pid) || pid <= 0 || !process.connected) process.exit(2);
process.on('SIGINT', () => undefined);
process.on('disconnect', () => {
  if (alive()) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  process.exit(0);
});
setInterval(() => {
  if (!alive()) process.exit(0);
}, 1000);
