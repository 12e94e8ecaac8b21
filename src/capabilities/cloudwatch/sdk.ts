// What mangaops uses of the CloudWatch SDK, imported from here rather than from the package:
// an import() of the package keeps every command and its schemas (some fifty), all evaluated
// before diagnose's first request; through this module the bundle keeps these three.
export { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
