/** EXPERIMENT (bench only): the SDK modules the lazy variant loads at the first send, in one module. */
export * as lib from '@aws-sdk/lib-dynamodb';
export * as client from '@aws-sdk/client-dynamodb';
