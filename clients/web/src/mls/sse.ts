/**
 * A server-sent events parser (the HTML standard's event stream format, enough of it for the
 * key-distribution stream): fed decoded text in chunks of any size, it hands out each event's data
 * (its `data:` lines joined by "\n") when the blank line that ends the event arrives. Comments
 * (`:`), `event:`, `id:` and `retry:` lines are ignored; the service sends none that matter.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private sawCr = false;

  constructor(private readonly onData: (data: string) => void) {}

  feed(chunk: string): void {
    let text = chunk;
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1); // the \n of a \r\n split across chunks
    this.sawCr = text.endsWith('\r');
    this.buffer += text;
    let at: number;
    while ((at = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, at);
      const eol = this.buffer.startsWith('\r\n', at) ? 2 : 1;
      this.buffer = this.buffer.slice(at + eol);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        const data = this.data.join('\n');
        this.data = [];
        this.onData(data);
      }
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
  }
}
