import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { telemetry } from '../observability/telemetry';

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** Publishes the invocation's metrics after every answer, whatever the outcome. */
export const withTelemetry = (handle: HttpHandler): HttpHandler => async (event) => {
  try {
    return await handle(event);
  } finally {
    telemetry.flush();
  }
};
