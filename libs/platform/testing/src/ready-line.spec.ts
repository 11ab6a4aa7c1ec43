import { parseReadyLine } from './ready-line';

describe('parseReadyLine', () => {
  it('reads the bound ports from a pino ready line', () => {
    const line = JSON.stringify({ level: 30, time: 1, msg: 'ready', service: 'broker', grpcPort: 40123, adminPort: 40124 });
    expect(parseReadyLine(line)).toEqual({ grpcPort: 40123, adminPort: 40124 });
  });

  it('accepts a nested ports object', () => {
    expect(parseReadyLine('{"msg":"ready","ports":{"grpc":1000,"admin":2000}}')).toEqual({ grpcPort: 1000, adminPort: 2000 });
  });

  it('ignores other log lines, plain text and broken JSON', () => {
    expect(parseReadyLine('{"msg":"starting","grpcPort":1,"adminPort":2}')).toBeUndefined();
    expect(parseReadyLine('S3rver listening on 127.0.0.1:1234')).toBeUndefined();
    expect(parseReadyLine('{"msg":"ready",')).toBeUndefined();
    expect(parseReadyLine('')).toBeUndefined();
    expect(parseReadyLine('null')).toBeUndefined();
  });

  it('rejects a ready line whose ports are not real bound ports', () => {
    // Port 0 means "not bound yet": a launcher must never dial it.
    expect(parseReadyLine('{"msg":"ready","grpcPort":0,"adminPort":2000}')).toBeUndefined();
    expect(parseReadyLine('{"msg":"ready","grpcPort":"1000","adminPort":2000}')).toBeUndefined();
    expect(parseReadyLine('{"msg":"ready","grpcPort":70000,"adminPort":2000}')).toBeUndefined();
  });
});
