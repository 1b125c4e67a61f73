import { Text } from 'ink';

export interface StatusMessage {
  text: string;
  error?: boolean;
}

/** The message line above the key hints: progress, outcomes and errors. */
export function StatusLine({ message }: { message?: StatusMessage }) {
  return (
    <Text wrap="truncate" color={message?.error ? 'red' : undefined}>
      {message?.text || ' '}
    </Text>
  );
}
