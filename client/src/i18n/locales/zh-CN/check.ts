// Words of the connection check page, in Simplified Chinese, key for key as in en/check.ts.
import type { LocaleStrings } from '../../resources.ts';
import type { check as en } from '../en/check.ts';

export const check: LocaleStrings<typeof en> = {
	'check.title': '连接检查',
	'check.intro': '此检查会把您的摄像头和麦克风画面发送到我们的服务器再传回。不会录制任何内容。',
	'check.start': '开始检查',
	'check.retry': '重试',
	'check.connecting': '正在连接…',
	'check.waiting': '已连接；正在等待您的视频传回…',
	'check.passed': '您的连接正常：您的视频已通过我们的服务器传回。',
	'check.noVideo':
		'服务器没有传回视频。防火墙或公司网络可能阻止了视频通话（基于 UDP 的 WebRTC）；请换一个网络试试，例如手机的移动网络。',
	'check.failed': '检查未完成：{reason}',
	'check.ownCamera': '您的摄像头',
	'check.echo': '经服务器往返后的画面',
	'check.echoLabel': '您的视频经服务器往返后的画面',
};
