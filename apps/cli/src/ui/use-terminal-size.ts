import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** The terminal's columns and rows, following resizes; 80x24 when the stream does not say. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function sizeOf(stream: { columns?: number; rows?: number }) {
  return { columns: stream.columns || 80, rows: stream.rows || 24 };
}
