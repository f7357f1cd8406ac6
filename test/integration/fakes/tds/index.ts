/** The TDS test server: a loopback SQL Server stand-in for the real mssql/tedious driver. See README.md. */
export { TdsTestServer, DEFAULT_LOGIN, testCertificate, type TdsTestServerOptions } from './server.js';
export type { ColumnTypeDeclarations, GeneratedResult, RowHook } from './executor.js';
export type { ServerEncryption } from './prelogin.js';
export type { ServerStats, LoginRecord, QueryRecord } from './session.js';
export type { RpcParameter } from './requests.js';
