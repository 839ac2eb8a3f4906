import { Controller, Headers, HttpCode, Post, Query, UnauthorizedException } from '@nestjs/common';
import { CALLBACK_PATH, TranscriptionFlowService } from './transcription-flow.service';

/**
 * Speechmatics' notification: `POST …?lesson=<id>&id=<job>&status=success|error` with the
 * Authorization header we gave it at submit time. It only makes the poll run now; the job state
 * is always read back from the provider, never taken from this request.
 */
@Controller(CALLBACK_PATH.split('/')[1])
export class TranscriptionCallbackController {
  constructor(private readonly flow: TranscriptionFlowService) {}

  @Post(CALLBACK_PATH.split('/')[2])
  @HttpCode(204)
  async notify(@Query('lesson') lessonId: string | undefined, @Headers('authorization') authorization?: string) {
    if (!lessonId || !(await this.flow.callback(lessonId, authorization))) throw new UnauthorizedException();
  }
}
