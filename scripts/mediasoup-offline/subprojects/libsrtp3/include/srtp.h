/*
 * vidverify offline build: the libsrtp 3 API that mediasoup 3.19 uses, on top of libsrtp 2.
 *
 * libsrtp 3 protects from an input buffer into an output buffer and reports lengths as size_t;
 * libsrtp 2 works in place with an int length. Each overload below copies the input into the
 * output buffer when they differ, checks the output has room for what libsrtp 2 appends, calls the
 * libsrtp 2 function in place, and writes the resulting length back.
 */
#ifndef VIDVERIFY_SRTP3_COMPAT_H
#define VIDVERIFY_SRTP3_COMPAT_H

#include <srtp2/srtp.h>

#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

/* Error codes that libsrtp 3 added (same numeric values). */
static constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
static constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace vidverify_srtp3
{
	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	inline srtp_err_status_t RunInPlace(
	  InPlaceFn fn,
	  srtp_t ctx,
	  const uint8_t* input,
	  size_t inputLen,
	  uint8_t* output,
	  size_t* outputLen,
	  size_t growth)
	{
		if (inputLen > static_cast<size_t>(INT_MAX) - growth || *outputLen < inputLen + growth)
		{
			return srtp_err_status_buffer_small;
		}

		if (output != input)
		{
			std::memmove(output, input, inputLen);
		}

		int len = static_cast<int>(inputLen);
		const srtp_err_status_t err = fn(ctx, output, &len);

		if (err == srtp_err_status_ok)
		{
			*outputLen = static_cast<size_t>(len);
		}

		return err;
	}
} // namespace vidverify_srtp3

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
	{
		return srtp_err_status_bad_mki;
	}

	return vidverify_srtp3::RunInPlace(
	  static_cast<vidverify_srtp3::InPlaceFn>(&::srtp_protect), ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return vidverify_srtp3::RunInPlace(
	  static_cast<vidverify_srtp3::InPlaceFn>(&::srtp_unprotect), ctx, srtp, srtpLen, rtp, rtpLen, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
	{
		return srtp_err_status_bad_mki;
	}

	/* SRTCP adds the E-flag/index word (4 bytes) on top of the auth tag and MKI. */
	return vidverify_srtp3::RunInPlace(
	  static_cast<vidverify_srtp3::InPlaceFn>(&::srtp_protect_rtcp),
	  ctx,
	  rtcp,
	  rtcpLen,
	  srtcp,
	  srtcpLen,
	  SRTP_MAX_TRAILER_LEN + 4);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return vidverify_srtp3::RunInPlace(
	  static_cast<vidverify_srtp3::InPlaceFn>(&::srtp_unprotect_rtcp), ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}
#endif /* __cplusplus */

#endif
