import { App, type AppProps } from './app.js';
import { useTerminalSize } from './use-terminal-size.js';

/** The App sized to the terminal it runs in. */
export function TerminalApp(props: Omit<AppProps, 'columns' | 'rows'>) {
  const { columns, rows } = useTerminalSize();
  return <App {...props} columns={columns} rows={rows} />;
}
