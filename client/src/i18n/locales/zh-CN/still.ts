// 审核员的高清照片相关文字（中文）。
import type { LocaleStrings } from '../../resources.ts';
import type { still as english } from '../en/still.ts';

export const still: LocaleStrings<typeof english> = {
	'call.still.taken': '审核员拍摄了一张您摄像头画面的高清照片，用于查看证件。只有审核员能看到，不会被保存。',
	'agent.still.take': '拍摄高清照片',
	'agent.still.taking': '正在拍摄…',
	'agent.still.onlyAtSteps': '只能在人脸和证件步骤中拍摄高清照片。',
	'agent.still.arrived': '高清照片：{width} × {height} 像素，仅在本浏览器中。关闭照片或通话结束后即消失。',
	'agent.still.badge': '照片',
	'agent.still.dismiss': '关闭照片',
	'agent.still.refused': '未能拍摄照片：{reason}',
	'agent.still.failed.camera_unavailable': '未能拍摄照片：申请人的摄像头不可用。',
	'agent.still.failed.capture_failed': '未能拍摄照片：申请人的浏览器无法拍摄。',
	'agent.still.failed.too_large': '未能拍摄照片：照片太大，无法发送。',
	'agent.still.failed.applicant_left': '未能拍摄照片：发送过程中申请人的连接已断开。',
	'agent.still.failed.agent_left': '未能拍摄照片：发送过程中您的连接已断开。',
	'agent.still.failed.call_ended': '未能拍摄照片：通话已结束。',
	'agent.still.failed.transfer_broken': '未能拍摄照片：照片未完整送达，请重试。',
	'agent.still.failed.timed_out': '未能拍摄照片：送达时间过长，请重试。',
};
