// 等候室中申请人预先连接的摄像头相关文字（中文）。
import type { LocaleStrings } from '../../resources.ts';
import type { waitingMedia as english } from '../en/waitingMedia.ts';

export const waitingMedia: LocaleStrings<typeof english> = {
	'waiting.media.connected':
		'您的摄像头和麦克风已开启并已连接，通话可以立即开始。在审核员接听您的通话之前，没有人能看到或听到您。',
	'waiting.media.connecting': '正在连接您的摄像头和麦克风，以便通话立即开始。在审核员接听您的通话之前，没有人能看到或听到您。',
	'waiting.media.later': '您的摄像头暂时未能连接，将在审核员接听您的通话时连接。在此之前，没有人能看到或听到您。',
};
