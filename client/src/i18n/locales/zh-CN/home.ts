// Words of the landing page, in Simplified Chinese, key for key as in en/home.ts.
import type { LocaleStrings } from '../../resources.ts';
import type { home as en } from '../en/home.ts';

export const home: LocaleStrings<typeof en> = {
	'home.intro': '通过实时视频通话核验身份。如果平台给了您一个链接，请打开该链接加入通话。',
	'home.check.intro': '通话前，您可以先检查这台设备能否进行视频通话。',
	'home.check.link': '检查我的摄像头和网络连接',
	'home.try.title': '在本机上试用',
	'home.try.intro': '此服务器以开发模式运行，可以为您创建一个演示核验和一位演示审核员。',
	'home.try.standard': '在本机上试一次核验',
	'home.try.interpreter': '带翻译试用',
	'home.try.typed_challenge': '以输入数字的方式试用',
	'home.try.variants': '带翻译时，一位家人从第三个窗口加入；输入数字时，申请人输入屏幕上的数字，而不是朗读出来。',
	'home.try.creating': '正在创建演示核验…',
	'home.try.ready.standard': '您的演示核验已准备好',
	'home.try.ready.interpreter': '您的带翻译演示核验已准备好',
	'home.try.ready.typed_challenge': '您的输入数字演示核验已准备好',
	'home.try.hint': '请在两个窗口中分别打开这两个链接，其中一个用无痕（隐私）窗口，让每个窗口各有自己的会话。',
	'home.try.applicantLink': '申请人链接',
	'home.try.applicantSteps': '同意条款，检查摄像头和麦克风，然后等待审核员。',
	'home.try.agentLink': '审核员链接',
	'home.try.agentSteps': '把自己设为空闲，接听通话，逐步提示并作出决定。',
	'home.try.interpreterSteps': '通话中，申请人邀请翻译，并在第三个窗口中打开显示的链接。',
	'home.try.typedSteps': '数字出现后，申请人输入该数字，而不是朗读出来。',
	'home.try.copy': '复制',
	'home.try.copied': '已复制{link}。',
	'home.try.copyFailed': '此浏览器不允许复制：请选中链接自行复制。',
	'home.try.failed': '未能创建演示核验：{reason}',
};
