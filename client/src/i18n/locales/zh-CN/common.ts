// Words every page uses, in Simplified Chinese, key for key as in en/common.ts.
import type { LocaleStrings } from '../../resources.ts';
import type { common as en } from '../en/common.ts';

export const common: LocaleStrings<typeof en> = {
	'app.name': 'vidverify',
	'language.label': '语言',
	'language.en': 'English',
	'language.zh-CN': '简体中文',
	'connection.connecting': '正在连接…',
	'connection.reconnecting': '连接已断开，正在重新连接…请不要关闭此页面。',
	'connection.refused': '此链接已无法使用。请打开您收到的最新链接。',
	'connection.closed': '连接已关闭。',
	'connection.signedOut': '您已退出坐席控制台：登录已到期或已被撤销。请从平台打开新的坐席链接。',
	'connection.replaced': '此核验已在另一个窗口或设备上打开，因此这里已停止。请在那里继续，或重新加载此页面在这里继续。',
	'media.reconnecting': '视频连接中断，正在恢复…',
	'media.failed': '视频连接失败：{reason}',
	'error.generic': '出现问题：{reason}',
	'error.retry': '重试',
	'link.missing': '此页面需要平台提供给您的链接。请重新打开该链接。',
	'link.invalid': '此链接无效。请向平台申请新的链接。',
	'video.you': '您',
	'video.waitingFor': '正在等待{name}的视频…',
	'role.applicant': '申请人',
	'role.agent': '审核员',
	'role.interpreter': '翻译',
	'chat.title': '文字聊天',
	'chat.placeholder': '输入消息',
	'chat.send': '发送',
	'chat.empty': '还没有消息。',
	'chat.notStored': '通话结束后消息不会保存。',
};
